package features

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
)

// Matcher finds lexicon phrases in normalized text. All phrases of all languages are compiled
// into one automaton, scanned once over the words of a message:
//
//   - A byte trie over the lexicon's words resolves each word of the message, in one pass over its
//     bytes, to the set of word patterns it satisfies: the exact word, every "prefix*" it starts
//     with, "<num>" when it is a number, "<any>". A word with repeated letters ("pleease") is also
//     walked squeezed ("please"), against the squeezed lexicon words (the repeat rule of
//     [Normalizer]).
//   - A trie over phrases, whose edges are word patterns, is run as a set of active states, one per
//     partial match in progress (the simulation of an Aho-Corasick automaton whose input symbols
//     are sets: a word can be an exact word and a prefix at once, so failure links do not apply).
//
// Every occurrence of every phrase is reported, overlapping ones included. A Matcher is immutable
// and safe for concurrent use.
type Matcher struct {
	entries []Entry

	// Word trie: dense transitions over byte classes; node 0 is the root, 0 also means "none".
	class    [256]uint8
	nclass   int
	trans    []int32
	exact    []int32   // node -> symbol of the exact word ending here, -1
	prefix   []int32   // node -> symbol of the prefix ending here, -1
	sqExact  [][]int32 // node -> symbols of exact words whose squeezed form ends here
	sqPrefix [][]int32 // node -> symbols of prefixes whose squeezed form ends here

	// Phrase trie over symbols: node 0 is the root.
	rootNext []int32 // symbol -> child of the root, 0 if none
	edgeOff  []int32 // node -> first edge in edges; edges of node i are edges[edgeOff[i]:edgeOff[i+1]]
	edges    []phraseEdge
	outOff   []int32 // node -> first entry in outs
	outs     []int32 // entry indices

	pool sync.Pool // *matchScratch
}

type phraseEdge struct{ sym, child int32 }

const (
	symAny int32 = 0
	symNum int32 = 1
)

type matchState struct{ node, start int32 }

type matchScratch struct {
	syms         []int32
	active, next []matchState
	tmp          []byte
}

// NewMatcher compiles entries (from [LoadLexicons]) into a matcher.
func NewMatcher(entries []Entry) (*Matcher, error) {
	m := &Matcher{entries: entries}
	type wkey struct {
		k patKind
		t string
	}
	syms := map[wkey]int32{}
	nsym := int32(2)
	symOf := func(p pat) int32 {
		switch p.kind {
		case patAny:
			return symAny
		case patNum:
			return symNum
		}
		k := wkey{p.kind, p.text}
		s, ok := syms[k]
		if !ok {
			s = nsym
			nsym++
			syms[k] = s
		}
		return s
	}
	// Phrase trie, built with maps then flattened.
	type pnode struct {
		next map[int32]int32
		outs []int32
	}
	nodes := []pnode{{next: map[int32]int32{}}}
	for ei := range entries {
		e := &entries[ei]
		if len(e.pats) == 0 || len(e.pats) > maxPhraseWords {
			return nil, fmt.Errorf("new matcher: entry %s has %d words", e.Cue, len(e.pats))
		}
		cur := int32(0)
		for _, p := range e.pats {
			s := symOf(p)
			c, ok := nodes[cur].next[s]
			if !ok {
				c = int32(len(nodes))
				nodes = append(nodes, pnode{next: map[int32]int32{}})
				nodes[cur].next[s] = c
			}
			cur = c
		}
		nodes[cur].outs = append(nodes[cur].outs, int32(ei))
	}
	m.rootNext = make([]int32, nsym)
	for s, c := range nodes[0].next {
		m.rootNext[s] = c
	}
	m.edgeOff = make([]int32, len(nodes)+1)
	m.outOff = make([]int32, len(nodes)+1)
	for i, nd := range nodes {
		m.edgeOff[i] = int32(len(m.edges))
		m.outOff[i] = int32(len(m.outs))
		if i > 0 {
			k := len(m.edges)
			for s, c := range nd.next {
				m.edges = append(m.edges, phraseEdge{s, c})
			}
			slices.SortFunc(m.edges[k:], func(a, b phraseEdge) int { return cmp.Compare(a.sym, b.sym) })
		}
		m.outs = append(m.outs, nd.outs...)
	}
	m.edgeOff[len(nodes)] = int32(len(m.edges))
	m.outOff[len(nodes)] = int32(len(m.outs))

	// Word trie.
	for k := range syms {
		for i := 0; i < len(k.t); i++ {
			if m.class[k.t[i]] == 0 {
				m.nclass++
				m.class[k.t[i]] = uint8(m.nclass)
			}
		}
	}
	m.nclass++ // class 0: bytes in no lexicon word
	m.newNode()
	var tmp []byte
	for k, s := range syms {
		n := m.insert(k.t)
		if k.k == patExact {
			m.exact[n] = s
		} else {
			m.prefix[n] = s
		}
		tmp = squeeze(tmp[:0], []byte(k.t))
		n = m.insert(string(tmp))
		if k.k == patExact {
			m.sqExact[n] = append(m.sqExact[n], s)
		} else {
			m.sqPrefix[n] = append(m.sqPrefix[n], s)
		}
	}
	m.pool.New = func() any { return new(matchScratch) }
	return m, nil
}

func (m *Matcher) newNode() int32 {
	n := int32(len(m.exact))
	m.trans = append(m.trans, make([]int32, m.nclass)...)
	m.exact = append(m.exact, -1)
	m.prefix = append(m.prefix, -1)
	m.sqExact = append(m.sqExact, nil)
	m.sqPrefix = append(m.sqPrefix, nil)
	return n
}

func (m *Matcher) insert(w string) int32 {
	n := int32(0)
	for i := 0; i < len(w); i++ {
		c := int32(m.class[w[i]])
		next := m.trans[n*int32(m.nclass)+c]
		if next == 0 {
			next = m.newNode()
			m.trans[n*int32(m.nclass)+c] = next
		}
		n = next
	}
	return n
}

// Entries returns the compiled entries; Hit cues and entry indices refer to them.
func (m *Matcher) Entries() []Entry { return m.entries }

// Walk calls fn for every lexicon phrase found in n, in order of end position, until fn returns
// false. Hit spans are byte offsets in the original text given to [Normalizer.Normalize].
func (m *Matcher) Walk(n *Normalized, fn func(Hit) bool) {
	sc := m.pool.Get().(*matchScratch)
	m.walk(n, sc, fn)
	m.pool.Put(sc)
}

func (m *Matcher) walk(n *Normalized, sc *matchScratch, fn func(Hit) bool) {
	m.walkIndexed(n, sc, func(ei, first, last int) bool {
		return fn(m.hit(n, ei, first, last))
	})
}

// walkIndexed reports entry ei matched on words first..last.
func (m *Matcher) walkIndexed(n *Normalized, sc *matchScratch, fn func(ei, first, last int) bool) {
	active := sc.active[:0]
	next := sc.next[:0]
	for t := 0; t < len(n.tokS); t++ {
		tok := n.Text[n.tokS[t]:n.tokE[t]]
		syms := m.symbols(tok, sc)
		next = next[:0]
		for _, s := range syms {
			if c := m.rootNext[s]; c != 0 {
				next = append(next, matchState{c, int32(t)})
			}
		}
		for _, st := range active {
			es := m.edges[m.edgeOff[st.node]:m.edgeOff[st.node+1]]
			for _, s := range syms {
				if c := findEdge(es, s); c != 0 {
					next = append(next, matchState{c, st.start})
				}
			}
		}
		for _, st := range next {
			for _, ei := range m.outs[m.outOff[st.node]:m.outOff[st.node+1]] {
				if !fn(int(ei), int(st.start), t) {
					sc.active, sc.next = active, next
					return
				}
			}
		}
		active, next = next, active
	}
	sc.active, sc.next = active, next
}

// findEdge returns the child along the edge labeled sym of the sorted edges es, or 0.
func findEdge(es []phraseEdge, sym int32) int32 {
	if len(es) <= 8 {
		for _, e := range es {
			if e.sym == sym {
				return e.child
			}
		}
		return 0
	}
	lo, hi := 0, len(es)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if es[h].sym < sym {
			lo = h + 1
		} else {
			hi = h
		}
	}
	if lo < len(es) && es[lo].sym == sym {
		return es[lo].child
	}
	return 0
}

func (m *Matcher) hit(n *Normalized, ei, first, last int) Hit {
	e := &m.entries[ei]
	s, end := n.Span(int(n.tokS[first]), int(n.tokE[last]))
	h := Hit{Stage: e.Stage, Cue: e.Cue, Lang: e.Lang, Weight: e.Weight, Start: s, End: end}
	for k, p := range e.pats {
		if p.kind == patNum {
			h.Value = float64(atoiCapped(n.Text[n.tokS[first+k]:n.tokE[first+k]]))
			break
		}
	}
	return h
}

// atoiCapped parses ASCII digits, saturating at 1e9.
func atoiCapped(b []byte) int {
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			break
		}
		if v < 1e9 {
			v = v*10 + int(c-'0')
		}
	}
	return v
}

// symbols returns the word patterns that tok satisfies.
func (m *Matcher) symbols(tok []byte, sc *matchScratch) []int32 {
	syms := append(sc.syms[:0], symAny)
	if isNumber(tok) {
		syms = append(syms, symNum)
	}
	nc := int32(m.nclass)
	node := int32(0)
	i := 0
	for ; i < len(tok); i++ {
		c := int32(m.class[tok[i]])
		if c == 0 {
			break
		}
		if node = m.trans[node*nc+c]; node == 0 {
			break
		}
		if p := m.prefix[node]; p >= 0 {
			syms = append(syms, p)
		}
	}
	if i == len(tok) && m.exact[node] >= 0 {
		syms = append(syms, m.exact[node])
	}
	if hasRuns(tok) {
		node = 0
		i = 0
		for ; i < len(tok); i++ {
			b := tok[i]
			if i > 0 && b == tok[i-1] && 'a' <= b && b <= 'z' {
				continue
			}
			c := int32(m.class[b])
			if c == 0 {
				break
			}
			if node = m.trans[node*nc+c]; node == 0 {
				break
			}
			for _, p := range m.sqPrefix[node] {
				syms = addSym(syms, p)
			}
		}
		if i == len(tok) {
			for _, p := range m.sqExact[node] {
				syms = addSym(syms, p)
			}
		}
	}
	sc.syms = syms
	return syms
}

func addSym(syms []int32, s int32) []int32 {
	for _, x := range syms {
		if x == s {
			return syms
		}
	}
	return append(syms, s)
}

func isNumber(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
