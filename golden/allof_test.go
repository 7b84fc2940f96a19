package golden

import (
	"encoding/json"
	"testing"

	allofalt "github.com/connectorgen/connectorgen/golden/allof-alternatives/want"
)

// TestAllOfDistributesOneOf: allOf [shared members, oneOf [Card,
// BankTransfer]] decodes into the variant the discriminator names, with
// the shared members and the variant's own in one struct, and encodes
// back with the discriminator value set.
func TestAllOfDistributesOneOf(t *testing.T) {
	in := `{"method":"card","amount":500,"currency":"EUR","number":"4242","expiry":"12/30"}`
	p, out := roundTrip[allofalt.Payment](t, in)
	if p.Card == nil || p.BankTransfer != nil || p.Card.Amount != 500 || p.Card.Number != "4242" || p.Card.Expiry.Value != "12/30" {
		t.Fatalf("decoded %+v", p)
	}
	sameJSON(t, out, in)

	b, out := roundTrip[allofalt.Payment](t, `{"method":"bank_transfer","amount":1,"currency":"CHF","iban":"CH93"}`)
	if b.BankTransfer == nil || b.BankTransfer.Iban != "CH93" || b.BankTransfer.Currency != "CHF" {
		t.Fatalf("decoded %+v", b)
	}
	sameJSON(t, out, `{"method":"bank_transfer","amount":1,"currency":"CHF","iban":"CH93"}`)

	// Built in Go without the discriminator: encoding sets it.
	_, enc := roundTrip[allofalt.Payment](t, mustJSON(t, allofalt.Payment{BankTransfer: &allofalt.PaymentBankTransfer{Amount: 2, Currency: "EUR", Iban: "DE89"}}))
	sameJSON(t, enc, `{"method":"bank_transfer","amount":2,"currency":"EUR","iban":"DE89"}`)

	// A method this client does not know is kept whole.
	u, out := roundTrip[allofalt.Payment](t, `{"method":"wallet","amount":3,"currency":"USD","wallet":"w1"}`)
	if u.Raw == nil || u.Card != nil || u.BankTransfer != nil {
		t.Fatalf("unknown method: %+v", u)
	}
	sameJSON(t, out, `{"method":"wallet","amount":3,"currency":"USD","wallet":"w1"}`)
}

// TestAllOfOfOneOfIsTheUnion: allOf [oneOf [File, Folder], {description}]
// (Box's shape) is the union itself, not a free-form map.
func TestAllOfOfOneOfIsTheUnion(t *testing.T) {
	s, out := roundTrip[allofalt.Share](t, `{"item":{"type":"folder","count":3}}`)
	if s.Item.Folder == nil || s.Item.Folder.Count != 3 || s.Item.File != nil {
		t.Fatalf("decoded %+v", s)
	}
	sameJSON(t, out, `{"item":{"type":"folder","count":3}}`)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestOneOfByRequiredMembers: without a discriminator, an object is not
// taken for a variant whose required members it lacks (GitHub's GET /user:
// a public user decoded as the private view gained "collaborators": 0).
func TestOneOfByRequiredMembers(t *testing.T) {
	pub, out := roundTrip[allofalt.GetUserOK](t, `{"login":"octocat"}`)
	if pub.PublicUser == nil || pub.PrivateUser != nil {
		t.Fatalf("public view decoded as %+v", pub)
	}
	sameJSON(t, out, `{"login":"octocat"}`)
	priv, out := roundTrip[allofalt.GetUserOK](t, `{"login":"octocat","collaborators":2}`)
	if priv.PrivateUser == nil || priv.PrivateUser.Collaborators != 2 {
		t.Fatalf("private view decoded as %+v", priv)
	}
	sameJSON(t, out, `{"login":"octocat","collaborators":2}`)
}
