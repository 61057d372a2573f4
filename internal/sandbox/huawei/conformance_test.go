package huawei

// Conformance of the emulator to Huawei Cloud's own typed client for the
// identity store (github.com/huaweicloud/huaweicloud-sdk-go-v3
// services/identitycenterstore/v1, v0.1.207): the SDK signs the requests,
// builds the paths and bodies from identityCenterStore_meta.go and reads the
// answers into its models; errors into *sdkerr.ServiceResponseError
// (core/sdkerr/errors.go), the request id from the X-Request-Id header.

import (
	"errors"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	iic "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenterstore/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenterstore/v1/model"

	"github.com/identityops/terraform-provider-identity/internal/sandbox/emu/emutest"
)

// sdkClient is the SDK's typed client for the emulator at url. The project
// id is set so that BasicCredentials does not ask IAM for one
// (core/auth/basic_credentials.go:37-40); the signed requests then carry
// X-Project-Id.
func sdkClient(t *testing.T, url, ak, sk string) *iic.IdentityCenterStoreClient {
	t.Helper()
	cred, err := basic.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithProjectId("0123456789abcdef0123456789abcdef").SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := iic.IdentityCenterStoreClientBuilder().
		WithEndpoints([]string{url}).
		WithCredential(cred).
		WithHttpConfig(config.DefaultHttpConfig().WithRetries(0)).
		SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return iic.NewIdentityCenterStoreClient(hc)
}

func conformanceServer(t *testing.T) (*Emulator, *iic.IdentityCenterStoreClient) {
	t.Helper()
	e, srv := emutest.Start(t, New())
	return e, sdkClient(t, srv.URL, TestAccessKey, TestSecretKey)
}

func sdkReset(user string, mode model.UpdatePwdModeReqBodyMode) *model.ResetPwdModeRequest {
	return &model.ResetPwdModeRequest{IdentityStoreId: TestIdentityStoreID, UserId: user, Body: &model.UpdatePwdModeReqBody{Mode: mode}}
}

// TestSDKConformance_resetPwdMode: ResetPwdMode (identityCenterStore_meta.go:1295-1322)
// in its two modes (model_update_pwd_mode_req_body.go: OTP, EMAIL).
func TestSDKConformance_resetPwdMode(t *testing.T) {
	e, c := conformanceServer(t)
	modes := model.GetUpdatePwdModeReqBodyModeEnum()

	// OTP: the one-time password in ResetPwdModeResponse.Password.
	out, err := c.ResetPwdMode(sdkReset(UserAlice, modes.OTP))
	if err != nil {
		t.Fatal(err)
	}
	if out.Password == nil || *out.Password == "" || out.HttpStatusCode != 200 {
		t.Fatalf("OTP reset: %v", out)
	}
	if cur, _ := e.CurrentPassword(UserAlice); cur != *out.Password {
		t.Fatal("the one-time password is not the emulator's current password")
	}

	// EMAIL: no password in the answer (password is omitempty in the model).
	out, err = c.ResetPwdMode(sdkReset(UserBob, modes.EMAIL))
	if err != nil {
		t.Fatal(err)
	}
	if out.Password != nil || out.HttpStatusCode != 200 {
		t.Fatalf("EMAIL reset: %v", out)
	}
	if n := len(e.EmailsSent()); n != 1 {
		t.Fatalf("%d reset emails", n)
	}
}

// TestSDKConformance_describeUser: DescribeUser (identityCenterStore_meta.go:1086-1110)
// read into model_describe_user_response.go.
func TestSDKConformance_describeUser(t *testing.T) {
	_, c := conformanceServer(t)
	out, err := c.DescribeUser(&model.DescribeUserRequest{IdentityStoreId: TestIdentityStoreID, UserId: UserCarol})
	if err != nil {
		t.Fatal(err)
	}
	if out.UserId == nil || *out.UserId != UserCarol || out.UserName == nil || *out.UserName != "carol" ||
		out.IdentityStoreId == nil || *out.IdentityStoreId != TestIdentityStoreID ||
		out.DisplayName == nil || *out.DisplayName != "Carol Cole" || out.Enabled == nil || *out.Enabled ||
		out.CreatedAt == nil || out.UpdatedAt == nil || out.Emails == nil || len(*out.Emails) != 1 {
		t.Fatalf("DescribeUser: %v", out)
	}
	if em := (*out.Emails)[0]; em.Value != "carol@example.com" {
		t.Fatalf("email %v", em)
	}
}

// TestSDKConformance_errors: errors read by core/sdkerr/errors.go: status,
// error_code and error_msg from the body, the request id from X-Request-Id.
func TestSDKConformance_errors(t *testing.T) {
	e, c := conformanceServer(t)
	e.AddMemberAccountCredentials("HPUAMEMBERACCOUNT001", "memberAccountSecretKey0000000000000000000")
	srv := emutest.Serve(t, e.Handler())
	member := sdkClient(t, srv.URL, "HPUAMEMBERACCOUNT001", "memberAccountSecretKey0000000000000000000")
	wrong := sdkClient(t, srv.URL, TestAccessKey, "notTheSecretKey000000000000000000000000000")
	modes := model.GetUpdatePwdModeReqBodyModeEnum()
	tests := []struct {
		name   string
		call   func() error
		status int
		code   string
		authz  bool // encoded_authorization_message expected
	}{
		{"unknown user, describe", func() error {
			_, err := c.DescribeUser(&model.DescribeUserRequest{IdentityStoreId: TestIdentityStoreID, UserId: "00000000-0000-4000-8000-000000000000"})
			return err
		}, 404, "IIC.1002", false},
		{"unknown user, reset", func() error {
			_, err := c.ResetPwdMode(sdkReset("00000000-0000-4000-8000-000000000000", modes.OTP))
			return err
		}, 404, "IIC.1002", false},
		{"unknown identity store", func() error {
			_, err := c.DescribeUser(&model.DescribeUserRequest{IdentityStoreId: "d-0000000000", UserId: UserAlice})
			return err
		}, 404, "IIC.404", false},
		{"a member account's credentials", func() error {
			_, err := member.ResetPwdMode(sdkReset(UserAlice, modes.OTP))
			return err
		}, 403, "IIC.1000", true},
		{"a wrong secret key", func() error {
			_, err := wrong.DescribeUser(&model.DescribeUserRequest{IdentityStoreId: TestIdentityStoreID, UserId: UserAlice})
			return err
		}, 401, "APIGW.0301", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var se *sdkerr.ServiceResponseError
			if !errors.As(err, &se) {
				t.Fatalf("not a *sdkerr.ServiceResponseError: %T %v", err, err)
			}
			if se.StatusCode != tt.status || se.ErrorCode != tt.code || se.ErrorMessage == "" || se.RequestId == "" ||
				(se.EncodedAuthorizationMessage != "") != tt.authz {
				t.Fatalf("%+v", se)
			}
		})
	}
}
