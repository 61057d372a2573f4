package backend

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestWithoutSecrets(t *testing.T) {
	const secret = "S3cret-Passw0rd"
	orig := &APIError{Backend: "X", Operation: "log in", StatusCode: 403, Message: "bad " + secret, RequestID: "r-" + secret, NotFound: true}
	err := PasswordMayHaveChanged(fmt.Errorf("wrapped: %w", orig))

	got := WithoutSecrets(err, "", secret)
	if strings.Contains(got.Error(), secret) {
		t.Fatalf("the message still holds the secret: %s", got)
	}
	var ae *APIError
	if !errors.As(got, &ae) {
		t.Fatal("errors.As finds no *APIError")
	}
	if ae == orig || strings.Contains(ae.Message+ae.RequestID, secret) {
		t.Fatalf("errors.As found the original or an unscrubbed copy: %+v", ae)
	}
	if ae.Message != "bad REDACTED" || ae.StatusCode != 403 || ae.Backend != "X" {
		t.Fatalf("the copy lost its fields: %+v", ae)
	}
	if !errors.Is(got, ErrNotFound) || !errors.Is(got, ErrPasswordMayHaveChanged) {
		t.Fatal("errors.Is no longer sees the original chain")
	}
	if orig.Message != "bad "+secret {
		t.Fatal("the original error was changed")
	}

	// Nothing to remove: the error itself.
	plain := errors.New("no secret here")
	if got := WithoutSecrets(plain, secret); got != plain { //nolint:errorlint // the very same error is expected
		t.Fatal("an error without the secret was replaced")
	}
	if WithoutSecrets(nil, secret) != nil {
		t.Fatal("an error without the secret was replaced")
	}
	// Without an *APIError in the chain, only the message changes.
	got = WithoutSecrets(fmt.Errorf("login: %s", secret), secret)
	if got.Error() != "login: REDACTED" || errors.As(got, &ae) {
		t.Fatalf("got %q", got)
	}
}

func TestPasswordMayHaveChangedIf(t *testing.T) {
	refused := &APIError{Backend: "X", Operation: "set the password of user u1", StatusCode: 400, Message: "too short"}
	if got := PasswordMayHaveChangedIf(refused, false); got != error(refused) { //nolint:errorlint // the very same error is expected
		t.Errorf("an answered refusal was changed: %v", got)
	}
	if PasswordMayHaveChangedIf(nil, true) != nil {
		t.Error("a success became an error")
	}
	got := PasswordMayHaveChangedIf(refused, true)
	var ae *APIError
	if !errors.Is(got, ErrPasswordMayHaveChanged) || !errors.As(got, &ae) || ae != refused || got.Error() != refused.Error() {
		t.Errorf("an error after an attempt that may have acted: %v, want it marked, with its message and *APIError", got)
	}
	// Already marked by the backend itself: kept as it is.
	marked := PasswordMayHaveChanged(refused)
	if again := PasswordMayHaveChangedIf(marked, true); again != marked { //nolint:errorlint // the very same error is expected
		t.Errorf("a marked error was wrapped again: %#v", again)
	}
}

func TestMarked(t *testing.T) {
	mark := errors.New("invalid setting")
	err := Marked(mark, "the setting is not usable: set it")
	if err.Error() != "the setting is not usable: set it" {
		t.Errorf("message %q, want the sentence alone", err.Error())
	}
	if !errors.Is(err, mark) || errors.Is(err, ErrNotFound) {
		t.Errorf("errors.Is: marked %v, not found %v", errors.Is(err, mark), errors.Is(err, ErrNotFound))
	}
}
