package names

import "testing"

func TestEnumConst(t *testing.T) {
	cases := []struct{ typ, value, want string }{
		{"PetStatus", "available", "PetStatusAvailable"},
		{"PetStatus", "pending_review", "PetStatusPendingReview"},
		{"PetStatus", "PENDING_REVIEW", "PetStatusPendingReview"},
		{"Code", "", "CodeEmpty"},
		{"Code", "200", "Code200"},
		{"V2", "1", "V2_1"},
		{"Sort", "created", "SortCreated"},
		{"Sort", "-created", "SortMinusCreated"},
		{"Reaction", "+1", "ReactionPlus1"},
		{"Reaction", "-1", "ReactionMinus1"},
		{"Kind", "id", "KindID"},
		{"Op", "<=", "OpLtEq"},
		{"Op", "!=", "OpNotEq"},
		{"Op", "-", "OpMinus"},
		{"Op", "\u2603", "OpX"},
		{"Lang", "名前", "Lang名前"},
		{"", "available", "Available"},
		{"", "200", "N200"},
		{"", "", "Empty"},
	}
	for _, c := range cases {
		got := EnumConst(c.typ, c.value)
		if got != c.want {
			t.Errorf("EnumConst(%q, %q) = %q, want %q", c.typ, c.value, got, c.want)
		}
		checkExported(t, c.value, got)
	}
}
