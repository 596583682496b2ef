package secret

import (
	"fmt"
	"slices"
)

// batchKey names one QR code of a Google Authenticator export.
type batchKey struct{ id, index int32 }

// Merge joins the sources read from several files (repeated --qr and --secret-file)
// into one: each entry's Where starts with its file's name; the QR codes of a Google
// Authenticator export are counted across all of them, so a missing one is named; a QR
// code given twice is read once, and said so.
func Merge(names []string, sources []*Source) *Source {
	out := &Source{Form: sources[0].Form, Files: len(sources)}
	seen := map[batchKey]string{} // which file gave each export QR code
	for i, src := range sources {
		if src.Form != out.Form {
			out.Form = FormSources
		}
		repeated := map[batchKey]bool{}
		for _, k := range src.batchKeys() {
			if first, ok := seen[k]; ok {
				repeated[k] = true
				out.Notes = append(out.Notes, fmt.Sprintf("%s repeats QR code %d of the export that %s gave: read once", names[i], k.index+1, first))
				continue
			}
			seen[k] = names[i]
		}
		for _, e := range src.Entries {
			if e.batch != nil && repeated[*e.batch] {
				continue
			}
			e.Where = joinWhere(names[i], e.Where)
			if pe, ok := e.Err.(*ParseError); ok {
				e.Err = pe.at(names[i])
			}
			out.add(e)
		}
		out.Notes = append(out.Notes, src.Notes...)
		for id, b := range src.Batches {
			out.addBatch(id, b.Size, b.Seen)
		}
	}
	return out
}

// batchKeys are the export QR codes src holds, in order.
func (s *Source) batchKeys() []batchKey {
	var out []batchKey
	for id, b := range s.Batches {
		for index := range b.Seen {
			out = append(out, batchKey{id, index})
		}
	}
	slices.SortFunc(out, func(a, b batchKey) int {
		if a.id != b.id {
			return int(a.id) - int(b.id)
		}
		return int(a.index) - int(b.index)
	})
	return out
}

// addBatch records that QR codes seen of the export id, size codes long, were given.
func (s *Source) addBatch(id, size int32, seen map[int32]bool) {
	if s.Batches == nil {
		s.Batches = map[int32]*Batch{}
	}
	b := s.Batches[id]
	if b == nil {
		b = &Batch{Size: size, Seen: map[int32]bool{}}
		s.Batches[id] = b
	}
	for index := range seen {
		b.Seen[index] = true
	}
}

// joinWhere places where (an entry, a line) inside file.
func joinWhere(file, where string) string {
	if where == "" {
		return file
	}
	return file + ", " + where
}
