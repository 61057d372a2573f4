package finspace

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu"
)

func validUserID(w http.ResponseWriter, userID string) bool {
	return validMember(w, "userId", userID, MaxUserIDLength)
}

// validMember checks a member against its shape's length and the pattern
// .*\S.* (at least one character that is not white space). The wording is
// AWS's usual validation message (inferred: the model gives none).
func validMember(w http.ResponseWriter, name, value string, maxLen int) bool {
	msg := ""
	switch n := utf8.RuneCountInString(value); {
	case n < 1 || n > maxLen:
		msg = fmt.Sprintf("Member must have length between 1 and %d", maxLen)
	case strings.TrimSpace(value) == "" || !nonSpace.MatchString(value):
		msg = `Member must satisfy regular expression pattern: .*\S.*`
	}
	if msg != "" {
		writeError(w, http.StatusBadRequest, "ValidationException",
			fmt.Sprintf("1 validation error detected: Value at '%s' failed to satisfy constraint: %s", name, msg), "INVALID_PARAMETER", true)
		return false
	}
	return true
}

// nonSpace is the model's pattern .*\S.*, as Java matches it (no newline in .).
var nonSpace = regexp.MustCompile(`^.*\S.*$`)

// writeError answers the way AWS does: the type in x-amzn-ErrorType (with
// the service suffix for modelled errors), {"message"[, "reason"]} in the
// body (reason only where given: the model has it on ValidationException,
// ResourceNotFoundException and ConflictException). ThrottlingException has
// no members in the model; its "message" is AWS's usual one, which clients
// may ignore.
func writeError(w http.ResponseWriter, status int, typ, msg, reason string, modelled bool) {
	h := typ
	if modelled {
		h += errorTypeSuffix
	}
	w.Header().Set("X-Amzn-Errortype", h)
	if w.Header().Get("X-Amzn-Requestid") == "" {
		w.Header().Set("X-Amzn-Requestid", requestID())
	}
	body := map[string]string{"message": msg}
	if reason != "" {
		body["reason"] = reason
	}
	emu.WriteJSON(w, status, body)
}

func requestID() string {
	b := emu.RandomBytes(16)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
