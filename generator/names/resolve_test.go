package names

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// schema returns an exact claim for the component schema name.
func schema(name string) Claim {
	return Claim{Want: name, Key: "#/components/schemas/" + name, Exact: true}
}

func TestResolveCollisions(t *testing.T) {
	cases := []struct {
		name     string
		reserved []string
		claims   []Claim
		want     map[string]string
	}{{
		name:   "no collision",
		claims: []Claim{schema("Actor"), schema("Pet")},
		want:   map[string]string{"#/components/schemas/Actor": "Actor", "#/components/schemas/Pet": "Pet"},
	}, {
		name: "exact beats lower priority",
		claims: []Claim{
			{Want: "Actor", Key: "#/components/schemas/actor", Priority: -5},
			{Want: "Actor", Key: "#/components/schemas/Actor", Priority: 3, Exact: true},
		},
		want: map[string]string{"#/components/schemas/Actor": "Actor", "#/components/schemas/actor": "Actor2"},
	}, {
		name: "lower priority wins",
		claims: []Claim{
			{Want: "Pet", Key: "a", Priority: 2},
			{Want: "Pet", Key: "b", Priority: 1},
			{Want: "Pet", Key: "c", Priority: 3},
		},
		want: map[string]string{"b": "Pet", "a": "Pet2", "c": "Pet3"},
	}, {
		name: "smaller key breaks ties",
		claims: []Claim{
			{Want: "Pet", Key: "#/components/schemas/pet"},
			{Want: "Pet", Key: "#/components/schemas/Pet"},
			{Want: "Pet", Key: "#/components/schemas/PET"},
		},
		want: map[string]string{
			"#/components/schemas/PET": "Pet",
			"#/components/schemas/Pet": "Pet2",
			"#/components/schemas/pet": "Pet3",
		},
	}, {
		name: "suffixes before numbers, skipping bare wants",
		claims: []Claim{
			schema("Actor"),
			schema("ActorSchema"),
			{Want: "Actor", Key: "a", Suffixes: []string{"Schema", "Object"}},
			{Want: "Actor", Key: "b", Suffixes: []string{"Schema", "Object"}},
		},
		want: map[string]string{
			"#/components/schemas/Actor":       "Actor",
			"#/components/schemas/ActorSchema": "ActorSchema",
			"a":                                "ActorObject",
			"b":                                "Actor2",
		},
	}, {
		name:   "bare wants beat numbered names",
		claims: []Claim{schema("Foo"), {Want: "Foo", Key: "foo"}, schema("Foo2")},
		want: map[string]string{
			"#/components/schemas/Foo":  "Foo",
			"foo":                       "Foo3",
			"#/components/schemas/Foo2": "Foo2",
		},
	}, {
		name:     "reserved names are skipped",
		reserved: []string{"Client", "Client2"},
		claims:   []Claim{schema("Client"), schema("Option")},
		want:     map[string]string{"#/components/schemas/Client": "Client3", "#/components/schemas/Option": "Option"},
	}, {
		name:   "wants ending in a digit number with an underscore",
		claims: []Claim{schema("V1"), {Want: "V1", Key: "v1"}},
		want:   map[string]string{"#/components/schemas/V1": "V1", "v1": "V1_2"},
	}, {
		name: "numbered names of different wants never meet",
		claims: append(claimsFor("Foo", 12),
			Claim{Want: "Foo1", Key: "f1a"}, Claim{Want: "Foo1", Key: "f1b"}),
		want: withNumbered("Foo", 12, map[string]string{"f1a": "Foo1", "f1b": "Foo1_2"}),
	}, {
		name: "the best claim of a key counts",
		claims: []Claim{
			{Want: "Other", Key: "k", Priority: 1},
			{Want: "Pet", Key: "k"},
			{Want: "Pet", Key: "p", Priority: 1},
		},
		want: map[string]string{"k": "Pet", "p": "Pet2"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := NewNamespace(c.reserved...).Resolve(c.claims)
			if !maps.Equal(got, c.want) {
				t.Fatalf("Resolve = %v, want %v", got, c.want)
			}
		})
	}
}

// claimsFor returns count claims wanting want, keyed want0, want1, ...
func claimsFor(want string, count int) []Claim {
	var out []Claim
	for i := range count {
		out = append(out, Claim{Want: want, Key: fmt.Sprintf("%s%02d", want, i)})
	}
	return out
}

// withNumbered adds the names that claimsFor(want, count) resolve to.
func withNumbered(want string, count int, m map[string]string) map[string]string {
	m[want+"00"] = want
	for i := 1; i < count; i++ {
		m[fmt.Sprintf("%s%02d", want, i)] = fmt.Sprintf("%s%d", want, i+1)
	}
	return m
}

func TestResolveKeepsEarlierNames(t *testing.T) {
	n := NewNamespace()
	first := n.Resolve([]Claim{schema("Pet"), {Want: "Pet", Key: "p"}})
	second := n.Resolve([]Claim{{Want: "Other", Key: "p"}, {Want: "Pet", Key: "q", Exact: true}})
	if first["p"] != "Pet2" || second["p"] != "Pet2" || second["q"] != "Pet3" {
		t.Fatalf("first %v, second %v", first, second)
	}
}

// wantPool holds Wants that collide with each other's generated names.
var wantPool = []string{
	"Foo", "Foo2", "Foo3", "Foo1", "Bar", "Bar2", "V1", "V1_2", "Pet",
	"PetSchema", "PetObject", "Client", "A",
}

// randomClaim returns a claim for want with a random rank and suffixes and
// a key unique among those randomClaim returns from rng.
func randomClaim(rng *rand.Rand, want string, used map[string]bool) Claim {
	key := fmt.Sprintf("#/k%04d", rng.IntN(10000))
	for used[key] {
		key = fmt.Sprintf("#/k%04d", rng.IntN(10000))
	}
	used[key] = true
	c := Claim{Want: want, Key: key, Priority: rng.IntN(3), Exact: rng.IntN(3) == 0}
	if rng.IntN(2) == 0 {
		c.Suffixes = []string{"Schema", "Object"}
	}
	return c
}

// randomClaims returns up to 20 random claims with Wants from wantPool.
func randomClaims(rng *rand.Rand, used map[string]bool) []Claim {
	claims := make([]Claim, 1+rng.IntN(20))
	for i := range claims {
		claims[i] = randomClaim(rng, wantPool[rng.IntN(len(wantPool))], used)
	}
	return claims
}

// resolve resolves claims in a fresh namespace reserving "Client" and
// checks that the names are unique and not reserved.
func resolve(t *testing.T, claims []Claim) map[string]string {
	t.Helper()
	got := NewNamespace("Client").Resolve(claims)
	seen := map[string]string{}
	for key, name := range got {
		if other, dup := seen[name]; dup || name == "Client" {
			t.Fatalf("%q named %q, like %q or reserved; claims %v", key, name, other, claims)
		}
		seen[name] = key
	}
	return got
}

func TestResolveOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		claims := randomClaims(rng, map[string]bool{})
		want := resolve(t, claims)
		for range 5 {
			rng.Shuffle(len(claims), func(i, j int) { claims[i], claims[j] = claims[j], claims[i] })
			if got := resolve(t, claims); !maps.Equal(got, want) {
				t.Fatalf("shuffled claims %v: got %v, want %v", claims, got, want)
			}
		}
	}
}

func TestResolveStableUnderNewWant(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	newWants := []string{"Baz", "Foo4", "Foo1_2", "Pet2", "V1_3", "FooSchema", "Client2"}
	for range 1000 {
		used := map[string]bool{}
		claims := randomClaims(rng, used)
		before := resolve(t, claims)
		want := newWants[rng.IntN(len(newWants))]
		if slices.Contains(slices.Collect(maps.Values(before)), want) {
			continue // a generated name becoming a bare Want: the documented exception
		}
		after := resolve(t, append(slices.Clone(claims), randomClaim(rng, want, used)))
		for key, name := range before {
			if after[key] != name {
				t.Fatalf("adding Want %q renamed %q from %q to %q; claims %v", want, key, name, after[key], claims)
			}
		}
	}
}

func TestResolveNewWantTakesGeneratedName(t *testing.T) {
	claims := []Claim{schema("Foo"), {Want: "Foo", Key: "foo"}}
	if got := resolve(t, claims)["foo"]; got != "Foo2" {
		t.Fatalf("foo = %q, want Foo2", got)
	}
	if got := resolve(t, append(claims, schema("Foo2")))["foo"]; got != "Foo3" {
		t.Fatalf("with schema Foo2: foo = %q, want Foo3", got)
	}
}

func TestResolveStableWithinGroup(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		used := map[string]bool{}
		claims := randomClaims(rng, used)
		before := resolve(t, claims)
		added := randomClaim(rng, claims[rng.IntN(len(claims))].Want, used)
		after := resolve(t, append(slices.Clone(claims), added))
		for _, c := range claims {
			if c.Want == added.Want && compareRank(added, c) < 0 {
				continue // ranks below the added claim: may be renamed
			}
			if after[c.Key] != before[c.Key] {
				t.Fatalf("adding %+v renamed %+v from %q to %q", added, c, before[c.Key], after[c.Key])
			}
		}
	}
}
