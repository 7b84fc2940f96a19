// Package names decides the Go identifiers of the things an API spec
// describes: once, deterministically, and stably across regenerations.
//
// # Converting spec strings
//
// [Exported] turns an arbitrary spec string into an exported CamelCase Go
// identifier, [Unexported] into a lowerCamel one, and [EnumConst] into the
// name of an enum constant. All three split their input into words the same
// way:
//
//   - Every rune that is neither a letter nor a digit (as Go identifiers
//     define them: [unicode.IsLetter] and [unicode.IsDigit]) separates words
//     and is dropped. This includes '_', '-', '.', '$', '@' and spaces.
//   - Inside a run of letters and digits a word starts at an upper-case
//     letter that follows a non-upper-case rune ("userId" -> user Id,
//     "ipv4Address" -> ipv4 Address), and at the last upper-case letter of
//     an acronym that is followed by a lower-case letter ("HTTPServer" ->
//     HTTP Server). A lone lower-case "s" ending an acronym stays with it as
//     a plural ("URLs", "userIDs" -> user IDs).
//   - Digits stay with the word they follow or precede: "1password" and
//     "utf8" are one word each.
//   - If the input contains no lower-case letter at all (SCREAMING_CASE such
//     as "PENDING_REVIEW" or "ACTIVE"), every word is lower-cased first, so
//     that it is title-cased like any other word ("PendingReview"). In mixed
//     input an upper-case word is an acronym and is kept ("ACHTransfer").
//   - A leading '+' or '-' followed by at least one letter or digit becomes
//     the word "Plus" or "Minus" ("+1" -> Plus1, "-1" -> Minus1,
//     "-created" -> MinusCreated), as in GitHub's reaction names. Other
//     leading symbols are dropped like any separator ("$ref" -> Ref).
//
// Each word is then capitalised (its first rune upper-cased, the rest kept),
// except that a word equal, ignoring case, to one of the golint initialisms
// listed by [Initialisms] is written as the initialism: "id" -> ID, "Url"
// -> URL. The plural of an initialism ("ids", "urls") becomes "IDs", "URLs";
// trailing digits are allowed ("id2" -> ID2). The match is on whole words
// only: "userid" stays "Userid". There are no mixed-case initialisms such as
// OAuth; "oAuthToken" still becomes "OAuthToken" through the case split,
// while "oauth_token" becomes "OauthToken".
//
// Words are joined without separator, except that two digit groups that were
// separated in the input keep an underscore between them, so that "1.10" and
// "11.0" stay distinct ("2022-11-28" -> N2022_11_28).
//
// The result always is a valid Go identifier. An exported name must start
// with an upper-case ASCII letter: a name that starts with a digit gets the
// prefix "N" ("200" -> N200, "1password" -> N1password); one that starts
// with any other rune (a non-ASCII letter such as in "名前" or "über") gets
// the prefix "X" ("X名前", "XÜber"). Empty or all-symbol input becomes "X".
// Unexported names follow the same rule with "n" and "x", and additionally
// get a trailing underscore when they would be a Go keyword or shadow a
// predeclared identifier ("type" -> type_, "string" -> string_).
//
// # Collision rules
//
// A [Namespace] hands out unique names within one Go scope: the package
// level, the fields of one struct, the methods of one type. Names are
// requested with [Claim]s, each identified by a stable Key (such as the JSON
// pointer of a schema), and resolved in one batch by [Namespace.Resolve]:
//
//  1. Claims are sorted first, so the outcome never depends on the order of
//     the input. Claims repeating a Key already named in the namespace keep
//     that name; of several claims with the same Key in one batch, only one
//     counts: an Exact one, then the one with lower Priority, then the one
//     with the smaller Want.
//  2. Claims are grouped by Want. Within a group claims are ranked: Exact
//     claims before non-exact ones, then lower Priority first, then the
//     lexicographically smaller Key first.
//  3. Bare names first: the best-ranked claim of each group gets the bare
//     Want unless that name is reserved or was handed out before.
//  4. Then the remaining claims, group by group in Want order and within a
//     group by rank, try in order Want+Suffix for each of their Suffixes and
//     then Want+"2", Want+"3", and so on. When Want ends in a digit or an
//     underscore the number is separated by an underscore ("V1" -> V1_2), so
//     that numbered names of different Wants can never coincide ("Foo1"+"2"
//     would otherwise equal "Foo"+"12"). A candidate is skipped when it is
//     reserved, was handed out before or in this batch, or is the bare Want
//     of any claim in the batch: bare Wants take precedence over generated
//     names, so when schema "Foo2" exists and two schemas want "Foo", the
//     second "Foo" becomes "Foo3".
//
// These rules make resolution stable: adding a claim with a new Want never
// changes the names of existing claims, unless that Want is itself a name
// that had been generated for another claim (the precedence of bare Wants in
// rule 4); adding a claim to an existing group only renames claims of that
// group that rank below it. Both guarantees assume that suffixed names of
// different groups do not coincide (Want "Pet" with suffix "JSONObject"
// versus Want "PetJSON" with suffix "Object"); when they do, the group with
// the smaller Want gets the name. Everything resolved in one scope should
// therefore be resolved in one batch. [Namespace.Take] later hands out
// derived one-off names using the same numbering.
package names
