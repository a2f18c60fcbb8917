package metrics

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReportBreakdownsAndOutputs(t *testing.T) {
	items := []Item{
		{ID: "1", Groups: map[string]string{"lang": "fr"}, Labels: map[string]bool{"grooming": true}, Scores: map[string]float64{"grooming": 0.9}},
		{ID: "2", Groups: map[string]string{"lang": "fr"}, Labels: map[string]bool{"grooming": false}, Scores: map[string]float64{"grooming": 0.6}},
		{ID: "3", Groups: map[string]string{"lang": "en"}, Labels: map[string]bool{"grooming": false}, Scores: map[string]float64{"grooming": 0.2}},
		{ID: "4", Groups: map[string]string{"lang": "en"}, Labels: map[string]bool{"grooming": true}, Scores: map[string]float64{"grooming": 0.4}},
		{ID: "5", Groups: map[string]string{"lang": "en"}, Labels: map[string]bool{}, Scores: map[string]float64{"grooming": 0.99}},
	}
	r := BuildReport("t", items, []string{"grooming"}, map[string]float64{"grooming": 0.5})
	h := r.Heads[0]
	require.Equal(t, 4, h.Overall.N, "item 5 has no label for the head")
	require.Equal(t, Confusion{TP: 1, FP: 1, TN: 1, FN: 1}, h.Overall.Confusion)
	require.Equal(t, Confusion{TP: 1, FP: 1}, h.Breakdown["lang"]["fr"].Confusion)
	require.Equal(t, Confusion{TN: 1, FN: 1}, h.Breakdown["lang"]["en"].Confusion)

	var md bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&md, map[string][2]string{"grooming": {"roc.svg", "pr.svg"}}))
	require.Contains(t, md.String(), "| lang=fr | 2 | 1 | 0.500 | 1.000 |")
	require.Contains(t, md.String(), "![ROC grooming](roc.svg)")

	var js bytes.Buffer
	require.NoError(t, r.WriteJSON(&js))
	var back Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	require.Equal(t, h.Overall.Confusion, back.Heads[0].Overall.Confusion)

	var svg bytes.Buffer
	require.NoError(t, WriteSVG(&svg, "ROC <grooming>", "FPR", "TPR", h.ROC, true))
	require.NoError(t, xml.Unmarshal(svg.Bytes(), new(struct{})), "SVG is well-formed XML")
	require.True(t, strings.Contains(svg.String(), "&lt;grooming&gt;"))
}
