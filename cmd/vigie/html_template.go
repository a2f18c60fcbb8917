package main

// htmlTemplate is the HTML evidence report. It is parsed by html/template, which escapes every
// value for its context (text, attribute, URL); there is no script and no external asset.
const htmlTemplate = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Vigie {{.Vigie}}">
<title>{{.L.report_title}} — {{range $i, $s := .Sections}}{{if $i}}, {{end}}{{$s.Name}}{{end}}</title>
<style>
:root { --g: #6a3fd0; --s: #c8102e; --ok: #1b7a3a; --ink: #1d1d1f; --mute: #5f6368; --line: #d9d9de; --bg: #f6f6f8; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", sans-serif; color: var(--ink); margin: 0; background: #fff; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
header.doc { border-bottom: 3px solid var(--ink); padding-bottom: 8px; margin-bottom: 16px; }
header.doc h1 { margin: 0; font-size: 26px; }
header.doc p { margin: 2px 0; color: var(--mute); }
.disclaimer { border: 1px solid #e0b000; background: #fff8e0; padding: 8px 12px; border-radius: 6px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
table.summary td:first-child { overflow-wrap: anywhere; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: start; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.hash { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; overflow-wrap: anywhere; }
section.conv { border-top: 2px solid var(--ink); margin-top: 28px; padding-top: 8px; }
section.conv > h2 { margin: 4px 0 8px; overflow-wrap: anywhere; }
h3 { margin: 20px 0 6px; font-size: 17px; }
.verdict { padding: 10px 14px; border-radius: 6px; font-size: 18px; font-weight: 700; }
.verdict.alert { background: #fde8ea; border: 2px solid var(--s); color: #8a0b20; }
.verdict.ok { background: #e7f5ec; border: 2px solid var(--ok); color: #0f5227; }
.verdict small { display: block; font-weight: 400; font-size: 14px; color: var(--ink); }
.flag { font-weight: 700; color: var(--s); }
.muted { color: var(--mute); }
ol.steps li { margin: 4px 0; }
.note { background: var(--bg); padding: 8px 12px; border-radius: 6px; }
svg.chart { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
svg .axis { stroke: #888; stroke-width: 1; }
svg .grid { stroke: #eee; stroke-width: 1; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
svg .line-grooming { stroke: var(--g); fill: none; stroke-width: 2.5; }
svg .line-sextortion { stroke: var(--s); fill: none; stroke-width: 2.5; }
svg .win-grooming { fill: var(--g); }
svg .win-sextortion { fill: var(--s); }
svg .win { opacity: 0; }
svg .win.flagged { opacity: .07; }
svg .winbar { opacity: .35; }
svg .winbar.flagged { opacity: .9; }
svg .mk-grooming { fill: var(--g); stroke: var(--g); }
svg .mk-sextortion { fill: var(--s); stroke: var(--s); }
svg .tick-grooming { stroke: var(--g); stroke-dasharray: 2 3; }
svg .tick-sextortion { stroke: var(--s); stroke-dasharray: 2 3; }
svg text.lab-grooming { fill: var(--g); }
svg text.lab-sextortion { fill: var(--s); }
ol.msgs { list-style: none; padding: 0; margin: 0; }
li.msg { border-inline-start: 6px solid transparent; padding: 4px 8px; border-bottom: 1px solid #eee; break-inside: avoid; }
li.msg.in-grooming { border-inline-start-color: #cbbdf2; }
li.msg.in-sextortion { border-inline-start-color: #f3b6c0; }
li.msg.in-grooming.in-sextortion { border-inline-start-color: #b07fd0; }
li.msg.system { color: var(--mute); font-style: italic; }
li.msg .meta { font-size: 12px; color: var(--mute); }
li.msg .meta .author { font-weight: 700; color: var(--ink); }
li.msg.suspect .meta .author { color: var(--s); }
li.msg .text { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; unicode-bidi: plaintext; }
mark { border-radius: 3px; padding: 0 1px; color: inherit; }
mark.h-grooming { background: #e4dafc; box-shadow: inset 0 -2px var(--g); }
mark.h-sextortion { background: #fcd9de; box-shadow: inset 0 -2px var(--s); }
mark.h-both { background: #f0d4f0; box-shadow: inset 0 -2px #8a2be2; }
sup.evl { font-size: 10px; font-weight: 600; border-radius: 3px; padding: 0 3px; margin-inline-end: 2px; color: #fff; white-space: nowrap; font-style: normal; }
sup.evl.h-grooming { background: var(--g); }
sup.evl.h-sextortion { background: var(--s); }
.bar { vertical-align: middle; }
.bar .bg { fill: #eee; }
.bar .fg-grooming { fill: var(--g); }
.bar .fg-sextortion { fill: var(--s); }
.bar .thr { stroke: #000; stroke-width: 2; }
nav.toc ol { margin: 4px 0; }
a { color: #0b57d0; }
@media print {
  @page { margin: 14mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  section.conv { break-before: page; }
  section.conv:first-of-type { break-before: auto; }
  h3, tr, li.msg, .verdict, svg.chart { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
</head>
<body>
<main>
<header class="doc">
<h1>{{.L.report_title}}</h1>
<p>{{.L.report_subtitle}}</p>
<p>{{.L.generated}} {{.Generated}} · Vigie {{.Vigie}}</p>
</header>
{{if .Sections}}<p class="disclaimer"><strong>{{.L.disclaimer}}.</strong> {{(index .Sections 0).R.Disclaimer}}</p>{{end}}

<h2>{{.L.summary}}</h2>
<table class="summary">
<thead><tr><th>{{.L.conversation}}</th><th>{{.L.platform}}</th><th>{{.L.messages_of}}</th><th>{{.L.verdict}}</th><th>{{.L.grooming}}</th><th>{{.L.sextortion}}</th><th>{{.L.suspect}}</th></tr></thead>
<tbody>
{{range .Sections}}<tr>
<td><a href="#{{.Anchor}}"><bdi>{{.Name}}</bdi></a></td>
<td>{{.R.Platform}}</td>
<td class="num">{{.R.Messages}}</td>
<td{{if .Flagged}} class="flag"{{end}}>{{.Verdict}}</td>
<td class="num{{if .R.Grooming.Flagged}} flag{{end}}">{{printf "%.2f" .R.Grooming.Score}}</td>
<td class="num{{if .R.Sextortion.Flagged}} flag{{end}}">{{printf "%.2f" .R.Sextortion.Score}}</td>
<td>{{if .R.Suspect}}<bdi>{{.R.Suspect}}</bdi>{{else}}—{{end}}</td>
</tr>
{{end}}</tbody>
</table>
{{if gt (len .Sections) 1}}<nav class="toc"><h2>{{.L.contents}}</h2><ol>
{{range .Sections}}<li><a href="#{{.Anchor}}"><bdi>{{.Name}}</bdi></a> — {{.Verdict}}</li>
{{end}}</ol></nav>{{end}}

{{range .Sections}}
<section class="conv" id="{{.Anchor}}" lang="{{.Lang}}">
<h2>{{.L.conversation}} <bdi>{{.Name}}</bdi></h2>
<p class="muted">{{.R.Platform}} · {{.R.Messages}} {{.L.messages_of}} · {{.L.file}} <span class="hash">{{.Input.File}}</span></p>
<div class="verdict {{if .Flagged}}alert{{else}}ok{{end}}">{{.L.verdict}}{{.L.colon}} {{.Verdict}}<small>{{.VerdictWhy}}</small></div>

<h3>{{.L.risk}}</h3>
<table class="risk">
<thead><tr><th></th><th>{{.L.risk}}</th><th>{{.L.threshold}}</th><th></th><th>{{.L.window}}</th></tr></thead>
<tbody>
{{range .Heads}}<tr>
<th>{{.Name}}</th>
<td class="num"><svg class="bar" width="210" height="16" viewBox="0 0 210 16" role="img" aria-label="{{.Name}} {{printf "%.2f" .Score}}"><rect class="bg" x="0" y="3" width="200" height="10"/><rect class="fg-{{.Key}}" x="0" y="3" width="{{.BarW}}" height="10"/><line class="thr" x1="{{.ThrX}}" y1="0" x2="{{.ThrX}}" y2="16"/></svg> {{printf "%.2f" .Score}}</td>
<td class="num">{{printf "%.2f" .Threshold}}</td>
<td>{{if .Flagged}}<span class="flag">{{$.L.flagged}}</span>{{else}}<span class="muted">{{$.L.not_flagged}}</span>{{end}}</td>
<td>{{if .WindowAnchor}}<a href="#{{.WindowAnchor}}">#{{.WindowFrom}} – #{{.WindowTo}}</a>{{end}}</td>
</tr>
{{end}}</tbody>
</table>
<p><strong>{{.L.suspect}}{{.L.colon}}</strong> {{if .R.Suspect}}<bdi>{{.R.Suspect}}</bdi> ({{.SuspectMsgs}}/{{.R.Messages}} {{.L.messages_of}}){{else}}{{.L.no_suspect}}{{end}}</p>

<h3>{{.L.what_to_do}} — {{.R.Advice.Title}}</h3>
<ol class="steps">{{range .R.Advice.Steps}}<li>{{.}}</li>{{end}}</ol>
<p class="note">{{.R.Advice.Note}}</p>
<h3>{{.L.report_where}}</h3>
<table class="contacts"><tbody>
{{range .R.Advice.Contacts}}<tr><td>{{.Region}}</td><td><strong>{{.Name}}</strong></td><td>{{.What}}</td><td>{{.Where}}</td></tr>
{{end}}</tbody></table>

{{with .Chart}}{{$c := .}}
<h3>{{.Title}}</h3>
<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.W}} {{.H}}" role="img" aria-label="{{.Title}}">
<title>{{.Title}}</title>
<desc>{{.Desc}}</desc>
{{range $i, $w := .Windows}}<g class="window" data-head="{{$w.Head}}"><title>{{$w.Label}}</title><rect class="win win-{{$w.Head}}{{if $w.Flagged}} flagged{{end}}" x="{{$w.X}}" y="{{$c.Top}}" width="{{$w.W}}" height="{{$c.PlotH}}"/><rect class="winbar win-{{$w.Head}}{{if $w.Flagged}} flagged{{end}}" x="{{$w.X}}" y="{{$w.BarY}}" width="{{$w.W}}" height="5"/></g>
{{end}}
{{range .YTicks}}<line class="grid" x1="{{$c.Left}}" y1="{{.Y}}" x2="{{$c.Left}}" y2="{{.Y}}"/><text x="{{.X}}" y="{{.Y}}" text-anchor="end" dominant-baseline="middle">{{.Label}}</text>
{{end}}
<line class="axis" x1="{{.Left}}" y1="{{.Bottom}}" x2="{{.Left}}" y2="{{.Top}}"/>
<line class="axis" x1="{{.Left}}" y1="{{.Bottom}}" x2="975" y2="{{.Bottom}}"/>
{{range .XTicks}}<text x="{{.X}}" y="{{.Y}}" text-anchor="middle">{{.Label}}</text>
{{end}}
{{range .Lines}}<polyline class="line-{{.Head}}" points="{{.Points}}"/>
<rect class="mk-{{.Head}}" x="{{.LegendX}}" y="8" width="18" height="4"/><text x="{{.LegendX}}" y="24" class="lab-{{.Head}}">{{.Name}} — {{printf "%.2f" .Score}}</text>
{{end}}
<text x="975" y="24" text-anchor="end">{{.YLabel}} · {{.XLabel}} →</text>
{{range .Markers}}<g class="marker" data-stage="{{.Stage}}"><title>{{.Title}}</title><line class="tick-{{.Head}}" x1="{{.X}}" y1="{{.Y}}" x2="{{.X}}" y2="{{.LabelY}}"/><circle class="mk-{{.Head}}" cx="{{.X}}" cy="{{.Y}}" r="4"/><text class="lab-{{.Head}}" x="{{.LabelX}}" y="{{.LabelY}}" text-anchor="{{.Anchor}}" dominant-baseline="middle">{{.Name}}</text></g>
{{end}}
</svg>
{{end}}

{{if .Timeline}}<h3>{{.L.stages}}</h3>
<table class="timeline">
<thead><tr><th>{{.L.when}}</th><th>{{.L.message}}</th><th>{{.L.stage}}</th><th>{{.L.author}}</th><th>{{.L.count}}</th></tr></thead>
<tbody>
{{range .Timeline}}<tr><td class="num">{{if .Offset}}{{.Offset}}{{else}}—{{end}}</td><td><a href="#{{.Anchor}}">#{{.MessageID}}</a></td><td>{{.Name}} <span class="muted">({{.Stage}})</span></td><td><bdi>{{.Author}}</bdi></td><td class="num">{{.Count}}</td></tr>
{{end}}</tbody>
</table>{{end}}

{{if .Strong}}<h3>{{.L.evidence}}</h3>
<table class="strongest">
<thead><tr><th>{{.L.when}}</th><th>{{.L.message}}</th><th>{{.L.author}}</th><th>{{.L.stage}}</th><th>«»</th></tr></thead>
<tbody>
{{range .Strong}}<tr><td class="num">{{.Time}}</td><td><a href="#{{.Anchor}}">#{{.MessageID}}</a></td><td><bdi>{{.Author}}</bdi></td><td>{{.Name}}</td><td dir="auto"><q>{{.Quote}}</q></td></tr>
{{end}}</tbody>
</table>{{end}}

{{if and .Flagged .Legal}}<h3>{{.L.legal}}</h3>
<p class="muted">{{.L.legal_hint}}</p>
<table class="legal"><tbody>
{{range .Legal}}<tr><td><strong>{{.Ref}}</strong></td><td>{{.Name}}<br><span class="muted">{{.Description}}</span></td><td>{{.Stages}}</td></tr>
{{end}}</tbody></table>{{end}}

{{if .R.Notes}}<h3>{{.L.notes}}</h3><ul>{{range .R.Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}

<h3>{{.L.full_conversation}}</h3>
<p class="muted">{{.L.highlight_hint}} ({{.Evidence}})</p>
<ol class="msgs">
{{range .Messages}}<li class="msg{{if .System}} system{{end}}{{if .Suspect}} suspect{{end}}{{if .InGrooming}} in-grooming{{end}}{{if .InSextortion}} in-sextortion{{end}}" id="{{.Anchor}}">
<div class="meta">#{{.ID}} · <bdi class="author">{{if .Author}}{{.Author}}{{else}}{{$.L.system}}{{end}}</bdi>{{if .Time}} · <time>{{.Time}}</time>{{end}}{{if .Offset}} · {{.Offset}}{{end}}{{if .Deleted}} · {{$.L.deleted}}{{end}}{{range .Attachments}} · [{{$.L.attachment}}: {{.}}]{{end}}{{if .InGrooming}} · <span title="{{$.L.in_window_grooming}}">▌{{$.L.grooming}}</span>{{end}}{{if .InSextortion}} · <span title="{{$.L.in_window_sext}}">▌{{$.L.sextortion}}</span>{{end}}</div>
<div class="text" dir="auto">{{range .Parts}}{{range .Labels}}<sup class="evl h-{{.Head}}" data-evid="{{.ID}}">{{.Name}}</sup>{{end}}{{if .Mark}}<mark class="ev h-{{.Head}}" data-ev="{{.EvIDs}}" title="{{.Title}}">{{.Text}}</mark>{{else}}{{.Text}}{{end}}{{end}}</div>
</li>
{{end}}</ol>

<h3>{{.L.preservation}}</h3>
<p class="muted">{{.L.preservation_hint}}</p>
<table class="preservation"><tbody>
<tr><th>{{.L.file}}</th><td class="hash">{{.Input.File}}</td></tr>
<tr><th>{{.L.sha256}}</th><td class="hash">{{if .Input.SHA256}}{{.Input.SHA256}}{{else}}{{.L.unknown}}{{end}}{{range .Input.Files}}<br>{{.SHA256}}  {{.Path}}{{end}}</td></tr>
<tr><th>{{.L.format}}</th><td>{{.Input.Format}}</td></tr>
<tr><th>{{.L.parser}}</th><td>{{.Input.Reader}}</td></tr>
<tr><th>{{.L.model}}</th><td>{{.R.Model.Name}} {{.R.Model.Version}}</td></tr>
<tr><th>{{.L.schema}}</th><td class="hash">{{.R.Model.Schema}}</td></tr>
<tr><th>{{.L.engine}}</th><td>{{.R.Model.Engine}}{{if .R.Model.Runtime}} ({{.R.Model.Runtime}}){{end}}</td></tr>
<tr><th>{{.L.tokenizer}}</th><td class="hash">{{.R.Model.Tokenizer}}</td></tr>
<tr><th>{{.L.thresholds}}</th><td>{{.Thresholds}}</td></tr>
<tr><th>{{.L.analyzed_at}}</th><td>{{.AnalyzedAt}}</td></tr>
<tr><th>{{.L.vigie}}</th><td>{{.Vigie}}</td></tr>
</tbody></table>
<p class="disclaimer"><strong>{{.L.disclaimer}}.</strong> {{.R.Disclaimer}}</p>
</section>
{{end}}
</main>
</body>
</html>
`
