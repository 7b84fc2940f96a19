package names

import "strings"

// symbolWords spells the symbols of enum values that contain no letter or
// digit, such as the operators "<=" or "!=".
var symbolWords = map[rune]string{
	'!': "Not", '"': "Quote", '#': "Hash", '$': "Dollar", '%': "Percent",
	'&': "Amp", '\'': "Apos", '(': "LParen", ')': "RParen", '*': "Star",
	'+': "Plus", ',': "Comma", '-': "Minus", '.': "Dot", '/': "Slash",
	':': "Colon", ';': "Semicolon", '<': "Lt", '=': "Eq", '>': "Gt",
	'?': "Question", '@': "At", '[': "LBracket", '\\': "Backslash",
	']': "RBracket", '^': "Caret", '_': "Underscore", '`': "Backtick",
	'{': "LBrace", '|': "Pipe", '}': "RBrace", '~': "Tilde", ' ': "Space",
}

// EnumConst returns the name of the constant for one value of the enum type
// typeName: typeName followed by the words of value ("PetStatus",
// "available" -> "PetStatusAvailable"). No "N" prefix is needed after the
// type name ("Code", "200" -> "Code200"); a leading sign is spelled
// ("Sort", "-created" -> "SortMinusCreated"; "Reaction", "+1" ->
// "ReactionPlus1"); the empty value is "Empty" ("Code", "" -> "CodeEmpty");
// a value without letters or digits is spelled symbol by symbol ("Op", "<="
// -> "OpLtEq"), with "X" for symbols not listed. Digits following a type
// name that ends in a digit are separated by an underscore ("V2", "1" ->
// "V2_1"). The result is a valid
// exported identifier when typeName is one or empty. Distinct values may
// still yield the same name; resolve constants through a [Namespace].
func EnumConst(typeName, value string) string {
	return exportable(join([]string{typeName, enumSuffix(value)}))
}

// enumSuffix returns the part of an enum constant's name that value gives.
func enumSuffix(value string) string {
	if value == "" {
		return "Empty"
	}
	ws := words(value)
	if len(ws) == 0 {
		return spellSymbols(value)
	}
	for i, w := range ws {
		ws[i] = title(w)
	}
	return join(ws)
}

// spellSymbols names every rune of value with symbolWords.
func spellSymbols(value string) string {
	var b strings.Builder
	for _, r := range value {
		if w, ok := symbolWords[r]; ok {
			b.WriteString(w)
		} else {
			b.WriteString("X")
		}
	}
	return b.String()
}
