package names

// Namespace hands out unique names within one Go scope, such as the package
// level, the fields of one struct or the methods of one type. Each name is
// handed out once, to one key; a key keeps its name for the lifetime of the
// Namespace. The zero value is not usable; call [NewNamespace].
type Namespace struct {
	taken map[string]bool   // reserved and handed-out names
	byKey map[string]string // key -> handed-out name
}

// NewNamespace returns an empty Namespace in which the reserved names, such
// as "Client", "New" or "Option", are never handed out.
func NewNamespace(reserved ...string) *Namespace {
	n := &Namespace{taken: map[string]bool{}, byKey: map[string]string{}}
	for _, name := range reserved {
		n.taken[name] = true
	}
	return n
}

// Taken reports whether name is reserved or has been handed out.
func (n *Namespace) Taken(name string) bool {
	return n.taken[name]
}

// Lookup returns the name handed out for key, if any.
func (n *Namespace) Lookup(key string) (string, bool) {
	name, ok := n.byKey[key]
	return name, ok
}

// Take hands out a one-off name for key after [Namespace.Resolve], such as
// a derived "ListPetsParams": want if it is free, and otherwise the first
// free numbered name as described in the package documentation (want+"2",
// want+"3", ...). A key that already has a name gets that name again.
func (n *Namespace) Take(want, key string) string {
	if name, ok := n.byKey[key]; ok {
		return name
	}
	name := want
	for i := 2; n.taken[name]; i++ {
		name = numbered(want, i)
	}
	n.assign(key, name)
	return name
}

// assign hands out name to key.
func (n *Namespace) assign(key, name string) {
	n.taken[name] = true
	n.byKey[key] = name
}
