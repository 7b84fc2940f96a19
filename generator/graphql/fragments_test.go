package graphql

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fragmentChain returns a query spreading F0 and n fragments on one type,
// each selecting a field and spreading the next.
func fragmentChain(n int) []byte {
	var b strings.Builder
	b.WriteString("query Chain { node { ...F0 } }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Node { id", i)
		if i+1 < n {
			fmt.Fprintf(&b, " ...F%d", i+1)
		}
		b.WriteString(" }\n")
	}
	return []byte(b.String())
}

// fragmentDiamonds returns n fragments each spreading the next two: the
// number of paths to the last one grows as the Fibonacci numbers.
func fragmentDiamonds(n int) []byte {
	var b strings.Builder
	b.WriteString("query Diamonds { node { ...F0 } }\n")
	for i := range n {
		fmt.Fprintf(&b, "fragment F%d on Node { id", i)
		for _, j := range []int{i + 1, i + 2} {
			if j < n {
				fmt.Fprintf(&b, " ...F%d", j)
			}
		}
		b.WriteString(" }\n")
	}
	return []byte(b.String())
}

const chainSchema = "type Query { node: Node }\ntype Node { id: ID! name: String }\n"

func generateOps(ops []byte) (map[string][]byte, error) {
	files, diags := Generate(context.Background(), Config{
		Schema:     Source{Name: "schema.graphql", Text: []byte(chainSchema)},
		Operations: []Source{{Name: "ops.graphql", Text: ops}},
		Package:    "chain", Version: "v0"})
	if diags.HasErrors() {
		return nil, diags
	}
	return files, nil
}

// Fragment spreads whose flattening would take genqlient minutes (a long
// chain, or fragments spreading one fragment along exponentially many
// paths) are a located error, found without running genqlient; a chain
// within MaxSpreadCost generates.
func TestSpreadCost(t *testing.T) {
	cases := []struct {
		name string
		ops  []byte
		want string
	}{
		{"chain of 3,000", fragmentChain(3000), "ops.graphql:1:15: query Chain: fragment spreads nest too deep"},
		{"diamonds of 60", fragmentDiamonds(60), "ops.graphql:1:18: query Diamonds: fragment spreads nest too deep"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := generateOps(c.ops)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got %v, want %s…", err, c.want)
			}
			t.Logf("%v: %.200s", time.Since(start), err)
		})
	}
	if _, err := generateOps(fragmentChain(250)); err != nil {
		t.Errorf("chain of 250: %v", err)
	}
}

// BenchmarkFragmentChain generates one chain of n fragments: 250 is
// within MaxSpreadCost and generates; 500, 1,000 and 2,000 are the error,
// found before validation and genqlient (which took 10.8 s for 1,000
// before). ns/op shows how the time grows with n.
func BenchmarkFragmentChain(b *testing.B) {
	for _, n := range []int{250, 500, 1000, 2000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ops := fragmentChain(n)
			for b.Loop() {
				generateOps(ops)
			}
		})
	}
}

// BenchmarkFragmentChains generates k independent chains of 250
// fragments (one query each), all within MaxSpreadCost: the time grows
// linearly with k.
func BenchmarkFragmentChains(b *testing.B) {
	for _, k := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("%dx250", k), func(b *testing.B) {
			var ops []byte
			for c := range k {
				chain := string(fragmentChain(250))
				chain = strings.ReplaceAll(chain, "F", fmt.Sprintf("C%dF", c))
				chain = strings.ReplaceAll(chain, "query Chain", fmt.Sprintf("query Chain%d", c))
				ops = append(ops, chain...)
			}
			for b.Loop() {
				if _, err := generateOps(ops); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
