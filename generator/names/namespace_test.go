package names

import "testing"

func TestNewNamespaceReserves(t *testing.T) {
	n := NewNamespace("Client", "New")
	if !n.Taken("Client") || !n.Taken("New") || n.Taken("Pet") {
		t.Fatal("reserved names not taken, or other names taken")
	}
	if got := n.Take("Client", "k"); got != "Client2" {
		t.Fatalf("Take(Client) = %q, want Client2", got)
	}
}

func TestTake(t *testing.T) {
	n := NewNamespace()
	n.Resolve([]Claim{{Want: "ListPetsParams", Key: "#/components/schemas/ListPetsParams"}})
	steps := []struct{ want, key, name string }{
		{"ListPetsParams", "op:listPets:params", "ListPetsParams2"},
		{"ListPetsParams", "op:listPets2:params", "ListPetsParams3"},
		{"ListPetsParams", "op:listPets:params", "ListPetsParams2"},
		{"Other", "op:listPets:params", "ListPetsParams2"},
		{"V1", "v1", "V1"},
		{"V1", "v1b", "V1_2"},
		{"Fresh", "fresh", "Fresh"},
	}
	for _, s := range steps {
		if got := n.Take(s.want, s.key); got != s.name {
			t.Errorf("Take(%q, %q) = %q, want %q", s.want, s.key, got, s.name)
		}
		if !n.Taken(s.name) {
			t.Errorf("Taken(%q) = false after Take", s.name)
		}
	}
	if name, ok := n.Lookup("v1b"); !ok || name != "V1_2" {
		t.Errorf("Lookup(v1b) = %q, %v", name, ok)
	}
	if _, ok := n.Lookup("unknown"); ok {
		t.Error("Lookup(unknown) found a name")
	}
}

func TestNumbered(t *testing.T) {
	cases := []struct {
		want string
		i    int
		name string
	}{
		{"Foo", 2, "Foo2"},
		{"Foo", 12, "Foo12"},
		{"Foo1", 2, "Foo1_2"},
		{"V1_", 2, "V1__2"},
		{"X名", 3, "X名3"},
	}
	for _, c := range cases {
		if got := numbered(c.want, c.i); got != c.name {
			t.Errorf("numbered(%q, %d) = %q, want %q", c.want, c.i, got, c.name)
		}
	}
}
