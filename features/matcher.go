package features

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"strings"
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

	// Word trie, compact (CSR) for cache locality, nodes in breadth-first order; node 0 is the
	// root, 0 also means "none". The root's children are a dense table.
	wRoot    [256]int32
	wEdgeOff []int32 // node -> first edge in wEdges; edges of node i are wEdges[wEdgeOff[i]:wEdgeOff[i+1]]
	wEdges   []wordEdge
	exact    []int32 // node -> symbol of the exact word ending here, -1
	prefix   []int32 // node -> symbol of the prefix ending here, -1
	sqOff    []int32 // node -> first entry in sq
	sq       []int32 // symbols of words (sym) and prefixes (sym|sqPrefixBit) whose squeezed form ends here

	// Phrase trie over symbols: node 0 is the root.
	rootNext []int32 // symbol -> child of the root, 0 if none
	edgeOff  []int32 // node -> first edge in edges; edges of node i are edges[edgeOff[i]:edgeOff[i+1]]
	edges    []phraseEdge
	outOff   []int32 // node -> first entry in outs
	outs     []int32 // entry indices

	pool      sync.Pool // *matchScratch
	cacheable bool      // the symbols fit the word cache's uint16

	samePhraseOnce sync.Once
	samePhrase     map[string]map[string]string // cue → lang → cue of the same phrase and stage (see CueIn)
}

type phraseEdge struct{ sym, child int32 }

type wordEdge struct {
	b     byte
	child int32
}

const sqPrefixBit = 1 << 30

const (
	symAny int32 = 0
	symNum int32 = 1
)

type matchState struct{ node, start int32 }

type matchScratch struct {
	syms         []int32
	active, next []matchState
	owner        *Matcher
	cache        *[wordCacheSize]wordCacheEntry
}

// A small direct-mapped cache of the word symbols, per scratch (so per goroutine): chat words
// follow Zipf's law, and a cache hit replaces the trie walks of a word by one hash and compare.
const (
	wordCacheBits = 12
	wordCacheSize = 1 << wordCacheBits
	wordCacheKey  = 16 // longest cached word: its key holds all its bytes
	wordCacheSyms = 7  // most symbols of a cached word (beyond <any> and <num>)
)

// wordCacheEntry is 32 bytes: two to a cache line, never across two.
type wordCacheEntry struct {
	key     wordKey
	klen, n uint8 // klen 0: empty entry
	syms    [wordCacheSyms]uint16
}

// wordKey holds a word of 1 to wordCacheKey bytes: its first and last 8 bytes (overlapping when
// shorter than 16), or for shorter words its first and last 4 bytes, or its bytes 0, len/2 and
// len-1. With the length, these cover every byte, so equal keys of equal lengths are equal words.
type wordKey struct{ a, b uint64 }

func makeWordKey(tok []byte) wordKey {
	switch n := len(tok); {
	case n >= 8:
		return wordKey{binary.LittleEndian.Uint64(tok), binary.LittleEndian.Uint64(tok[n-8:])}
	case n >= 4:
		return wordKey{uint64(binary.LittleEndian.Uint32(tok)), uint64(binary.LittleEndian.Uint32(tok[n-4:]))}
	case n > 0:
		return wordKey{uint64(tok[0]) | uint64(tok[n/2])<<8 | uint64(tok[n-1])<<16, 0}
	}
	return wordKey{}
}

// slot returns the cache index of the key of a word of n bytes.
func (k wordKey) slot(n int) uint64 {
	x := (k.a ^ bits.RotateLeft64(k.b, 29) ^ uint64(n)) * 0x9e3779b97f4a7c15
	return x >> (64 - wordCacheBits)
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
	m.cacheable = nsym <= 1<<16
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

	// Word trie: built with maps, then flattened breadth-first.
	type wnode struct {
		next           map[byte]int32
		exact, prefix  int32
		sqExact, sqPre []int32
	}
	nodes2 := []wnode{{next: map[byte]int32{}, exact: -1, prefix: -1}}
	insert := func(w string) int32 {
		n := int32(0)
		for i := 0; i < len(w); i++ {
			c, ok := nodes2[n].next[w[i]]
			if !ok {
				c = int32(len(nodes2))
				nodes2 = append(nodes2, wnode{next: map[byte]int32{}, exact: -1, prefix: -1})
				nodes2[n].next[w[i]] = c
			}
			n = c
		}
		return n
	}
	var tmp []byte
	for k, s := range syms {
		n := insert(k.t)
		if k.k == patExact {
			nodes2[n].exact = s
		} else {
			nodes2[n].prefix = s
		}
		tmp = squeeze(tmp[:0], []byte(k.t))
		n = insert(string(tmp))
		if k.k == patExact {
			nodes2[n].sqExact = append(nodes2[n].sqExact, s)
		} else {
			nodes2[n].sqPre = append(nodes2[n].sqPre, s)
		}
	}
	sortedKeys := func(mp map[byte]int32) []byte {
		bs := make([]byte, 0, len(mp))
		for b := range mp {
			bs = append(bs, b)
		}
		slices.Sort(bs)
		return bs
	}
	// Breadth-first renumbering.
	order := []int32{0}
	newID := make([]int32, len(nodes2))
	for q := 0; q < len(order); q++ {
		nd := &nodes2[order[q]]
		for _, b := range sortedKeys(nd.next) {
			c := nd.next[b]
			newID[c] = int32(len(order))
			order = append(order, c)
		}
	}
	m.wEdgeOff = make([]int32, len(order)+1)
	m.sqOff = make([]int32, len(order)+1)
	m.exact = make([]int32, len(order))
	m.prefix = make([]int32, len(order))
	for i, old := range order {
		nd := &nodes2[old]
		m.wEdgeOff[i] = int32(len(m.wEdges))
		m.sqOff[i] = int32(len(m.sq))
		m.exact[i], m.prefix[i] = nd.exact, nd.prefix
		for _, b := range sortedKeys(nd.next) {
			c := newID[nd.next[b]]
			m.wEdges = append(m.wEdges, wordEdge{b, c})
			if i == 0 {
				m.wRoot[b] = c
			}
		}
		m.sq = append(m.sq, nd.sqExact...)
		for _, p := range nd.sqPre {
			m.sq = append(m.sq, p|sqPrefixBit)
		}
	}
	m.wEdgeOff[len(order)] = int32(len(m.wEdges))
	m.sqOff[len(order)] = int32(len(m.sq))
	m.pool.New = func() any { return new(matchScratch) }
	return m, nil
}

// wordStep follows the edge labeled b from node, or returns 0.
func (m *Matcher) wordStep(node int32, b byte) int32 {
	if node == 0 {
		return m.wRoot[b]
	}
	es := m.wEdges[m.wEdgeOff[node]:m.wEdgeOff[node+1]]
	if len(es) <= 8 {
		for _, e := range es {
			if e.b == b {
				return e.child
			}
		}
		return 0
	}
	lo, hi := 0, len(es)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if es[h].b < b {
			lo = h + 1
		} else {
			hi = h
		}
	}
	if lo < len(es) && es[lo].b == b {
		return es[lo].child
	}
	return 0
}

// Entries returns the compiled entries; Hit cues and entry indices refer to them.
func (m *Matcher) Entries() []Entry { return m.entries }

// CueIn returns the cue of the entry of language lang that is the same phrase as cue, of the same
// stage: the same word "paysafecard" is in several lexicons, and the matcher reports the first
// language's entry, so that an English conversation would quote the German file. It returns cue
// itself when lang has no such entry (or cue is not one of the matcher's).
func (m *Matcher) CueIn(cue, lang string) string {
	m.samePhraseOnce.Do(func() {
		byKey := map[string]map[string]string{} // stage and patterns → lang → cue
		keys := make(map[string]string, len(m.entries))
		for _, e := range m.entries {
			var b strings.Builder
			b.WriteString(e.Stage.String())
			for _, p := range e.pats {
				fmt.Fprintf(&b, "\x00%d:%s", p.kind, p.text)
			}
			k := b.String()
			keys[e.Cue] = k
			if byKey[k] == nil {
				byKey[k] = map[string]string{}
			}
			if _, ok := byKey[k][e.Lang]; !ok {
				byKey[k][e.Lang] = e.Cue
			}
		}
		m.samePhrase = make(map[string]map[string]string, len(keys))
		for cue, k := range keys {
			if len(byKey[k]) > 1 {
				m.samePhrase[cue] = byKey[k]
			}
		}
	})
	if alt, ok := m.samePhrase[cue][lang]; ok {
		return alt
	}
	return cue
}

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
	if len(tok) > wordCacheKey || !m.cacheable {
		syms = m.wordSymbols(tok, syms)
		sc.syms = syms
		return syms
	}
	if sc.owner != m || sc.cache == nil {
		if sc.cache == nil {
			sc.cache = new([wordCacheSize]wordCacheEntry)
		} else {
			clear(sc.cache[:])
		}
		sc.owner = m
	}
	key := makeWordKey(tok)
	e := &sc.cache[key.slot(len(tok))]
	if int(e.klen) == len(tok) && e.key == key {
		for _, x := range e.syms[:e.n] {
			syms = append(syms, int32(x))
		}
		sc.syms = syms
		return syms
	}
	k := len(syms)
	syms = m.wordSymbols(tok, syms)
	if n := len(syms) - k; n <= wordCacheSyms {
		e.key, e.klen, e.n = key, uint8(len(tok)), uint8(n)
		for x, sym := range syms[k:] {
			e.syms[x] = uint16(sym)
		}
	}
	sc.syms = syms
	return syms
}

// wordSymbols appends the word patterns that tok satisfies, <any> and <num> aside.
func (m *Matcher) wordSymbols(tok []byte, syms []int32) []int32 {
	node := int32(0)
	i := 0
	for ; i < len(tok); i++ {
		if node = m.wordStep(node, tok[i]); node == 0 {
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
			if node = m.wordStep(node, b); node == 0 {
				break
			}
			for _, p := range m.sq[m.sqOff[node]:m.sqOff[node+1]] {
				if p&sqPrefixBit != 0 {
					syms = addSym(syms, p&^sqPrefixBit)
				}
			}
		}
		if i == len(tok) {
			for _, p := range m.sq[m.sqOff[node]:m.sqOff[node+1]] {
				if p&sqPrefixBit == 0 {
					syms = addSym(syms, p)
				}
			}
		}
	}
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
