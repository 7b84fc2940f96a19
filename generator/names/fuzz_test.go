package names

import "testing"

// addSeeds adds every example input of the table tests to f's corpus.
func addSeeds(f *testing.F) {
	for _, c := range exportedCases {
		f.Add(c.in)
	}
	for _, c := range unexportedCases {
		f.Add(c.in)
	}
	for _, s := range []string{"ǅungla", "ϒ", "٣abc", "a\u0301", "IDsomething", "x\x00y"} {
		f.Add(s)
	}
}

func FuzzExported(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		name := Exported(s)
		checkExported(t, s, name)
		if again := Exported(s); again != name {
			t.Fatalf("Exported(%q) not deterministic: %q then %q", s, name, again)
		}
	})
}

func FuzzUnexported(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkUnexported(t, s, Unexported(s))
	})
}

func FuzzEnumConst(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, value string) {
		checkExported(t, value, EnumConst("Kind", value))
		checkExported(t, value, EnumConst("V2", value))
		checkExported(t, value, EnumConst("", value))
	})
}

// TestEveryRune checks the identifier rules around every letter and digit
// of Unicode.
func TestEveryRune(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for r := rune(0); r <= 0x10FFFF; r++ {
		if !isAlnum(r) && r > 0x7F {
			continue // a separator, like every other non-alphanumeric rune
		}
		for _, s := range []string{string(r), "a" + string(r), string(r) + "a", "A" + string(r) + "b", "-" + string(r)} {
			checkExported(t, s, Exported(s))
			checkUnexported(t, s, Unexported(s))
			checkExported(t, s, EnumConst("V2", s))
		}
	}
}
