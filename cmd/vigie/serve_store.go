package main

import (
	"container/list"
	"sync"
	"time"

	"github.com/vigie/vigie/detect"
)

// sessionStore keeps the streaming sessions of `vigie serve` in memory, bounded: at most max
// sessions (the least recently used is dropped) and none idle for longer than ttl. It is safe
// for concurrent use; each session has its own lock so that pushes to one conversation are
// serialized while different conversations proceed in parallel.
type sessionStore struct {
	det *detect.Detector
	max int
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	byID    map[string]*list.Element // of *storedSession
	lru     *list.List               // front: most recently used
	evicted int64
}

type storedSession struct {
	mu   sync.Mutex // held while the session is used
	id   string
	s    *detect.Session
	used time.Time
}

func newSessionStore(det *detect.Detector, max int, ttl time.Duration) *sessionStore {
	return &sessionStore{det: det, max: max, ttl: ttl, now: time.Now, byID: map[string]*list.Element{}, lru: list.New()}
}

// get returns the session of id, creating it when create is true (nil when absent otherwise).
// The caller must lock the returned session's mu while using it.
func (st *sessionStore) get(id string, create bool) *storedSession {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := st.now()
	st.expireLocked(now)
	if e, ok := st.byID[id]; ok {
		ss := e.Value.(*storedSession)
		ss.used = now
		st.lru.MoveToFront(e)
		return ss
	}
	if !create {
		return nil
	}
	for st.max > 0 && st.lru.Len() >= st.max {
		st.removeLocked(st.lru.Back())
	}
	ss := &storedSession{id: id, s: st.det.NewSession(id), used: now}
	st.byID[id] = st.lru.PushFront(ss)
	return ss
}

// expireLocked drops the sessions idle for longer than ttl (oldest first, so the walk stops at
// the first fresh one).
func (st *sessionStore) expireLocked(now time.Time) {
	if st.ttl <= 0 {
		return
	}
	for e := st.lru.Back(); e != nil; e = st.lru.Back() {
		if now.Sub(e.Value.(*storedSession).used) <= st.ttl {
			return
		}
		st.removeLocked(e)
	}
}

func (st *sessionStore) removeLocked(e *list.Element) {
	ss := st.lru.Remove(e).(*storedSession)
	delete(st.byID, ss.id)
	st.evicted++
}

// expire drops idle sessions; the server calls it periodically.
func (st *sessionStore) expire() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.expireLocked(st.now())
}

func (st *sessionStore) stats() (n int, evicted int64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.lru.Len(), st.evicted
}
