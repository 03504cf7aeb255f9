package planning

import (
	"container/list"
	"strings"
	"sync"

	"github.com/placeteam/placeteam/geo/tiles"
)

// DefaultResponseCacheBytes bounds the encoded responses kept (feature
// pages, map values) when Config.ResponseCacheBytes is 0.
const DefaultResponseCacheBytes = 64 << 20

// Response is an encoded answer: immutable bytes with their ETag and a
// gzipped copy made on first use.
type Response = tiles.Encoded

// CachedResponse returns the response under key for v (nil for answers no
// configuration changes), encoding it with build when it is not kept. The
// key must name everything else the bytes depend on (the query, the base
// URL of their links). Responses of a configuration are dropped with its
// other figures when it is deleted; a version's never change.
func (s *Service) CachedResponse(v *Version, key string, build func() ([]byte, error)) (*Response, error) {
	if v != nil {
		key = v.key() + "|" + key
	} else {
		key = "|" + key
	}
	if r, ok := s.responses.get(key); ok {
		return r, nil
	}
	body, err := build()
	if err != nil {
		return nil, err
	}
	r := tiles.NewEncoded(body)
	s.responses.put(key, r)
	return r, nil
}

// responseCache is an LRU of encoded responses bounded by their bytes.
type responseCache struct {
	max int64

	mu      sync.Mutex
	bytes   int64
	entries map[string]*list.Element // values are *responseEntry
	order   *list.List               // front: most recently used
	hits    int64
	misses  int64
}

type responseEntry struct {
	key  string
	resp *Response
}

func newResponseCache(max int64) *responseCache {
	return &responseCache{max: max, entries: map[string]*list.Element{}, order: list.New()}
}

func (c *responseCache) get(key string) (*Response, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.hits++
		c.order.MoveToFront(e)
		return e.Value.(*responseEntry).resp, true
	}
	c.misses++
	return nil, false
}

func (c *responseCache) put(key string, r *Response) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.remove(e)
	}
	c.entries[key] = c.order.PushFront(&responseEntry{key, r})
	c.bytes += responseSize(key, r)
	for c.bytes > c.max && c.order.Len() > 0 {
		c.remove(c.order.Back())
	}
}

func (c *responseCache) remove(e *list.Element) {
	re := c.order.Remove(e).(*responseEntry)
	delete(c.entries, re.key)
	c.bytes -= responseSize(re.key, re.resp)
}

// responseSize counts the body twice: its gzipped copy, once made, is at
// most about as large again.
func responseSize(key string, r *Response) int64 { return int64(2*len(r.Body()) + len(key) + 128) }

// forget drops the responses of keys with the prefix.
func (c *responseCache) forget(prefix string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, e := range c.entries {
		if strings.HasPrefix(key, prefix) {
			c.remove(e)
		}
	}
}

// counts reports the cache's lookups and size.
func (c *responseCache) counts() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{Hits: c.hits, Misses: c.misses, Builds: c.misses, Entries: len(c.entries)}
}
