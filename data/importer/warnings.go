package importer

import (
	"slices"

	"github.com/placeteam/placeteam/data/dataset"
)

// warnings collects import-time warnings by kind, with a few examples each.
type warnings struct {
	order []string
	byKey map[string]*dataset.Warning
}

func (w *warnings) add(kind, message, example string) {
	if w.byKey == nil {
		w.byKey = map[string]*dataset.Warning{}
	}
	x, ok := w.byKey[kind]
	if !ok {
		x = &dataset.Warning{Kind: kind, Message: message}
		w.byKey[kind] = x
		w.order = append(w.order, kind)
	}
	x.Count++
	if len(x.Examples) < 5 && example != "" && !slices.Contains(x.Examples, example) {
		x.Examples = append(x.Examples, example)
	}
}

func (w *warnings) result() []dataset.Warning {
	out := make([]dataset.Warning, 0, len(w.order))
	for _, k := range w.order {
		out = append(out, *w.byKey[k])
	}
	return out
}
