package emu

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

func TestSecretsDeduplicates(t *testing.T) {
	var s Secrets
	s.Add("password", "one", "", "two")
	s.Add("token", "two", "three")
	want := []Secret{{"password", "one"}, {"password", "two"}, {"token", "three"}}
	if got := s.List(); !slices.Equal(got, want) {
		t.Errorf("List() = %v, want %v", got, want)
	}
}

func TestJSONStrings(t *testing.T) {
	body := []byte(`{"password":"a","nested":{"password":"b","n":1},"list":[{"token":"c"},{"password":2}],"other":"d"}`)
	got := JSONStrings(body, "password", "token")
	slices.Sort(got)
	if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("JSONStrings = %v, want %v", got, want)
	}
	if got := JSONStrings([]byte("not json"), "password"); got != nil {
		t.Errorf("JSONStrings of a non-JSON body = %v, want nil", got)
	}
	if got := QueryStrings(url.Values{"ust": {"x", "y"}, "a": {"z"}}, "ust"); !slices.Equal(got, []string{"x", "y"}) {
		t.Errorf("QueryStrings = %v", got)
	}
}

func TestBearerToken(t *testing.T) {
	for in, want := range map[string]string{"Bearer abc": "abc", "bearer  abc ": "abc", "abc": "abc", "": ""} {
		if got := BearerToken(in); got != want {
			t.Errorf("BearerToken(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAddRecorded(t *testing.T) {
	rec := &Recorder{}
	rec.add(&Request{
		Query:    url.Values{"ust": {"q-ust"}},
		Header:   http.Header{"Authorization": {"Bearer h-tok"}, "X-Token": {"x-tok"}},
		Body:     []byte(`{"password":"b-pw","other":"not-secret"}`),
		Response: []byte(`{"token":"a-tok"}`),
	})
	var s Secrets
	s.AddRecorded(rec,
		Wire{Kind: "password", Body: []string{"password"}},
		Wire{Kind: "token", Header: "Authorization", Query: []string{"ust"}, Answer: []string{"token"}},
		Wire{Kind: "header", Header: "X-Token"})
	want := []Secret{{"password", "b-pw"}, {"token", "q-ust"}, {"token", "h-tok"}, {"token", "a-tok"}, {"header", "x-tok"}}
	if got := s.List(); !slices.Equal(got, want) {
		t.Errorf("List() = %v, want %v", got, want)
	}
}
