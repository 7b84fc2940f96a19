package golden

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	untypeditems "github.com/connectorgen/connectorgen/golden/untyped-items/want"
	"github.com/connectorgen/connectorgen/runtime"
)

// The generated "untyped-items" case on the wire: schemas with items but
// no type (Slack's objs_conversation and objs_message.bot_id, GitHub's
// check-run.pull_requests). JSON Schema applies items to arrays only, so
// a value may be an array of the items, one item, null or anything else;
// each decodes, typed where its shape allows, and goes back unchanged.

func TestUntypedItemsDecodeTheSpecsExample(t *testing.T) {
	// The spec's own example for conversations.info: an object where the
	// schema only has items. It decoded into a Go slice and failed before.
	const example = `{"ok":true,"channel":{"id":"C1","is_channel":true,"latest":null}}`
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, example)
	})
	c, err := untypeditems.New(rec.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ConversationsInfo(context.Background(), untypeditems.ConversationsInfoRequest{})
	if err != nil {
		t.Fatalf("decode the spec's example: %v", err)
	}
	// Strict decoding (issue 18) takes it too: nothing in it mismatches.
	if _, err := c.ConversationsInfo(context.Background(), untypeditems.ConversationsInfoRequest{}, runtime.WithStrictDecoding()); err != nil {
		t.Fatalf("decode the spec's example strictly: %v", err)
	}
	conv, ok := nullableGet(got.Channel)
	if !ok || conv.Item == nil || conv.Item.Object == nil || conv.Item.Object.ID != "C1" || conv.Raw != nil {
		t.Fatalf("channel not typed as one item: %+v", got.Channel)
	}
	if !conv.Item.Object.Latest.Null {
		t.Errorf("latest: want an explicit null, got %+v", conv.Item.Object.Latest)
	}
	out, _ := json.Marshal(got)
	sameJSON(t, string(out), example)
}

func TestUntypedItemsEveryShape(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `[{"text":"hi","bot_id":"B1","pull_requests":[{"number":1}]},
			{"text":"ho","bot_id":null,"pull_requests":{"number":2}},
			{"bot_id":["B2",null],"pull_requests":7}]`)
	})
	c, err := untypeditems.New(rec.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := c.ListMessages(context.Background(), untypeditems.ListMessagesRequest{IDs: []string{"a", "b"}})
	if err != nil || len(msgs) != 3 {
		t.Fatalf("got %d messages, %v", len(msgs), err)
	}
	// A parameter with items and no type is an array, sent by its style.
	if got := rec.one(t).RequestURI; got != "/messages?ids=a&ids=b" {
		t.Errorf("request URI %s", got)
	}
	// One item: bot_id "B1"; an array: pull_requests [{number: 1}].
	if b, _ := nullableGet(msgs[0].BotID); b.Item == nil || b.Item.String == nil || *b.Item.String != "B1" {
		t.Errorf("bot_id \"B1\" not typed as one item: %+v", msgs[0].BotID)
	}
	if p, _ := nullableGet(msgs[0].PullRequests); p.Array == nil || len(*p.Array) != 1 || (*p.Array)[0].Number.Value != 1 {
		t.Errorf("pull_requests array not typed: %+v", msgs[0].PullRequests)
	}
	// null; one object where the intent was an array.
	if !msgs[1].BotID.Null {
		t.Errorf("bot_id null: %+v", msgs[1].BotID)
	}
	if p, _ := nullableGet(msgs[1].PullRequests); p.Item == nil || p.Item.Number.Value != 2 {
		t.Errorf("pull_requests object not typed as one item: %+v", msgs[1].PullRequests)
	}
	// An array of the items, and a value of another type, kept as raw JSON.
	if b, _ := nullableGet(msgs[2].BotID); b.Array == nil || len(*b.Array) != 2 {
		t.Errorf("bot_id array: %+v", msgs[2].BotID)
	}
	if p, _ := nullableGet(msgs[2].PullRequests); p.Array != nil || p.Item != nil || string(p.Raw) != "7" {
		t.Errorf("pull_requests 7 not kept as raw JSON: %+v", msgs[2].PullRequests)
	}
	out, _ := json.Marshal(msgs)
	sameJSON(t, string(out), `[{"text":"hi","bot_id":"B1","pull_requests":[{"number":1}]},
		{"text":"ho","bot_id":null,"pull_requests":{"number":2}},
		{"bot_id":["B2",null],"pull_requests":7}]`)
}

// A value the item's type cannot hold exactly (a member a closed object
// does not declare) is typed and kept as received: it goes back unchanged.
func TestUntypedItemsKeepWhatTheItemDrops(t *testing.T) {
	const in = `{"id":"C1","is_channel":true,"locale":"en-US"}`
	var conv untypeditems.Conversation
	if err := json.Unmarshal([]byte(in), &conv); err != nil {
		t.Fatal(err)
	}
	if conv.Item == nil || conv.Item.Object == nil || conv.Item.Object.ID != "C1" || conv.Raw == nil {
		t.Fatalf("want the item typed and the JSON kept: %+v", conv)
	}
	out, _ := json.Marshal(conv)
	sameJSON(t, string(out), in)
	// Built in Go, it sends the variant.
	b, _ := json.Marshal(untypeditems.Conversation{Item: &untypeditems.ConversationItem{
		Object2: &untypeditems.ConversationItemObject2{ID: "D1", IsIm: true}}})
	sameJSON(t, string(b), `{"id":"D1","is_im":true}`)
}

// nullableGet is what Nullable's Get method was: the value, and whether
// it is present and not null.
func nullableGet[T any](n runtime.Nullable[T]) (T, bool) { return n.Value, n.Set && !n.Null }
