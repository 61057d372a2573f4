package finspace

// Conformance of the emulator to the AWS SDK for Go v1's own FinSpace Data
// client (github.com/aws/aws-sdk-go service/finspacedata, generated from
// models/apis/finspace-data/2020-07-13/api-2.json): a test-only dependency
// (the v2 module is not on the module proxy). The client signs, serialises
// and fills the idempotency token itself, and must read every answer,
// errors included, as the typed values the model defines.

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	// The AWS SDK for Go v1 is end-of-support; its FinSpace Data client is
	// the only Go one (v2 has no such module), so this test uses it.
	"github.com/aws/aws-sdk-go/aws"                                    //nolint:staticcheck // SA1019: see above
	"github.com/aws/aws-sdk-go/aws/awserr"                             //nolint:staticcheck // SA1019: see above
	"github.com/aws/aws-sdk-go/aws/credentials"                        //nolint:staticcheck // SA1019: see above
	"github.com/aws/aws-sdk-go/aws/session"                            //nolint:staticcheck // SA1019: see above
	"github.com/aws/aws-sdk-go/service/finspacedata"                   //nolint:staticcheck // SA1019: see above
	"github.com/aws/aws-sdk-go/service/finspacedata/finspacedataiface" //nolint:staticcheck // SA1019: see above

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
)

// sdkClient is the SDK's client for the emulator at url, signing with the
// given key, without retries (so that each call is one request). It is used
// through the SDK's own interface: AWS marks every FinSpace Data operation
// deprecated on the client type, and they are what this test runs.
func sdkClient(t *testing.T, url, keyID, secret string) finspacedataiface.FinSpaceDataAPI {
	t.Helper()
	sess, err := session.NewSession(&aws.Config{
		Region:      aws.String(TestRegion),
		Endpoint:    aws.String(url),
		Credentials: credentials.NewStaticCredentials(keyID, secret, ""),
		MaxRetries:  aws.Int(0),
		// The model marks the operations deprecated; the SDK says so on
		// every call.
		Logger: aws.LoggerFunc(func(...any) {}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return finspacedata.New(sess)
}

// conformanceServer is an emulator on the real clock (the SDK signs with it).
func conformanceServer(t *testing.T) (*Emulator, *httptest.Server) {
	t.Helper()
	return emutest.Start(t, New())
}

var uuidPattern = regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestSDKConformance_resetUserPassword(t *testing.T) {
	e, srv := conformanceServer(t)
	c := sdkClient(t, srv.URL, TestAccessKeyID, TestSecretAccessKey)

	// No ClientToken: the SDK fills one (idempotencyToken, api.go ResetUserPasswordInput.ClientToken).
	out, err := c.ResetUserPassword(&finspacedata.ResetUserPasswordInput{UserId: aws.String(AppUserID)})
	if err != nil {
		t.Fatal(err)
	}
	pw := aws.StringValue(out.TemporaryPassword)
	if n := len(pw); n < 8 || n > 20 || aws.StringValue(out.UserId) != AppUserID {
		t.Fatalf("%d-character password (Password: min 8, max 20), userId %q", n, aws.StringValue(out.UserId))
	}
	if cur, _ := e.CurrentPassword(AppUserID); cur != pw {
		t.Fatal("the answer is not the emulator's current password")
	}
	reqs := e.Recorder.Match(http.MethodPost, "/user/"+AppUserID+"/password")
	var body struct {
		ClientToken string `json:"clientToken"`
	}
	if len(reqs) != 1 || json.Unmarshal(reqs[0].Body, &body) != nil || !uuidPattern.MatchString(body.ClientToken) {
		t.Fatalf("the SDK's request: %d recorded, body %s", len(reqs), reqs[0].Body)
	}
	// customizations.go:10-18: the client sends application/x-amz-json-1.1.
	if ct := reqs[0].Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Fatalf("Content-Type %q", ct)
	}

	// The same token within 10 minutes: the same answer ("This token expires in 10 minutes").
	token := aws.String("conformance-token-1")
	first, err := c.ResetUserPassword(&finspacedata.ResetUserPasswordInput{UserId: aws.String(SuperUserID), ClientToken: token})
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.ResetUserPassword(&finspacedata.ResetUserPasswordInput{UserId: aws.String(SuperUserID), ClientToken: token})
	if err != nil || aws.StringValue(again.TemporaryPassword) != aws.StringValue(first.TemporaryPassword) {
		t.Fatalf("a replay answered another password (%v)", err)
	}
	if n := len(e.IssuedPasswords(SuperUserID)); n != 1 {
		t.Fatalf("%d passwords issued for one token", n)
	}
}

// TestSDKConformance_errors: each error the SDK's client must read as the
// model's typed error (errors.go, api.go), with its code and HTTP status.
func TestSDKConformance_errors(t *testing.T) {
	e, srv := conformanceServer(t)
	super := sdkClient(t, srv.URL, TestAccessKeyID, TestSecretAccessKey)
	appUser := sdkClient(t, srv.URL, TestAppUserAccessKeyID, TestAppUserSecretAccessKey)
	wrongKey := sdkClient(t, srv.URL, TestAccessKeyID, "not/the/secret/key/000000000000000000000")
	tests := []struct {
		name   string
		call   func() error
		code   string
		status int
		typed  func(error) bool
		reason string
	}{
		// ResourceNotFoundException: httpStatusCode 404, members message, reason.
		{"unknown user, reset", func() error {
			_, err := super.ResetUserPassword(&finspacedata.ResetUserPasswordInput{UserId: aws.String("nobody")})
			return err
		}, finspacedata.ErrCodeResourceNotFoundException, 404, isType[*finspacedata.ResourceNotFoundException], ""},
		{"unknown user, get", func() error {
			_, err := super.GetUser(&finspacedata.GetUserInput{UserId: aws.String("nobody")})
			return err
		}, finspacedata.ErrCodeResourceNotFoundException, 404, isType[*finspacedata.ResourceNotFoundException], ""},
		// AccessDeniedException: httpStatusCode 403 (an app user acting on another user).
		{"app user on another user", func() error {
			_, err := appUser.ResetUserPassword(&finspacedata.ResetUserPasswordInput{UserId: aws.String(SuperUserID)})
			return err
		}, finspacedata.ErrCodeAccessDeniedException, 403, isType[*finspacedata.AccessDeniedException], ""},
		// ValidationException: httpStatusCode 400, members message, reason. UserId max 26 is
		// not checked by the client (api.go Validate checks min 1 only).
		{"user id of 27", func() error {
			_, err := super.GetUser(&finspacedata.GetUserInput{UserId: aws.String(strings.Repeat("u", 27))})
			return err
		}, finspacedata.ErrCodeValidationException, 400, isType[*finspacedata.ValidationException], "INVALID_PARAMETER"},
		// UserId pattern .*\S.*: white space only.
		{"white-space user id", func() error {
			_, err := super.GetUser(&finspacedata.GetUserInput{UserId: aws.String("   ")})
			return err
		}, finspacedata.ErrCodeValidationException, 400, isType[*finspacedata.ValidationException], "INVALID_PARAMETER"},
		// A signature AWS refuses: not a modelled error; its code from x-amzn-ErrorType.
		{"wrong secret key", func() error {
			_, err := wrongKey.GetUser(&finspacedata.GetUserInput{UserId: aws.String(AppUserID)})
			return err
		}, "InvalidSignatureException", 403, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var rf awserr.RequestFailure
			if !errors.As(err, &rf) {
				t.Fatalf("not an awserr.RequestFailure: %T %v", err, err)
			}
			if rf.Code() != tt.code || rf.StatusCode() != tt.status || rf.Message() == "" || rf.RequestID() == "" {
				t.Fatalf("code %q status %d message %q request id %q", rf.Code(), rf.StatusCode(), rf.Message(), rf.RequestID())
			}
			if tt.typed != nil && !tt.typed(err) {
				t.Fatalf("not the model's typed error: %T", err)
			}
			if tt.reason != "" {
				var v *finspacedata.ValidationException
				if !errors.As(err, &v) || aws.StringValue(v.Reason) != tt.reason {
					t.Fatalf("reason: %#v", err)
				}
			}
		})
	}

	// ThrottlingException: httpStatusCode 429, no members.
	e.SetThrottle(0.001)
	var throttled error
	for range 3 {
		if _, err := super.GetUser(&finspacedata.GetUserInput{UserId: aws.String(AppUserID)}); err != nil {
			throttled = err
		}
	}
	if !isType[*finspacedata.ThrottlingException](throttled) {
		t.Fatalf("throttled: %T %v", throttled, throttled)
	}
}

func isType[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// TestSDKConformance_getUser: GetUser's answer read by the SDK: the
// model's members, times as epoch milliseconds (long).
func TestSDKConformance_getUser(t *testing.T) {
	e, srv := conformanceServer(t)
	c := sdkClient(t, srv.URL, TestAccessKeyID, TestSecretAccessKey)
	out, err := c.GetUser(&finspacedata.GetUserInput{UserId: aws.String(AppUserID)})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := e.GetUser(AppUserID)
	if aws.StringValue(out.UserId) != AppUserID || aws.StringValue(out.Status) != finspacedata.UserStatusEnabled ||
		aws.StringValue(out.Type) != finspacedata.UserTypeAppUser || aws.StringValue(out.EmailAddress) != u.EmailAddress ||
		aws.StringValue(out.FirstName) != u.FirstName || aws.Int64Value(out.CreateTime) != u.CreateTime.UnixMilli() {
		t.Fatalf("GetUser: %s", out)
	}
	out, err = c.GetUser(&finspacedata.GetUserInput{UserId: aws.String(DisabledUserID)})
	if err != nil || aws.StringValue(out.Status) != finspacedata.UserStatusDisabled {
		t.Fatalf("disabled user: %v %v", out, err)
	}
}
