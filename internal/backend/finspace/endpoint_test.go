package finspace

import (
	"context"
	"errors"
	"testing"

	"github.com/identityops/terraform-provider-identity/internal/transport"
)

// TestConfiguredEndpoint: without an endpoint setting, the endpoint comes
// from the AWS configuration as the AWS SDKs resolve it: the service's own
// variable (AWS_ENDPOINT_URL_FINSPACE_DATA) first, then AWS_ENDPOINT_URL,
// none when configured endpoints are ignored; the setting wins over both,
// and an unusable one is an ErrEndpoint.
func TestConfiguredEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name, setting, service, general, ignore, want string
		wantErr                                       bool
	}{
		{name: "default", want: "https://finspace-api.us-east-1.amazonaws.com"},
		{name: "service variable", service: "https://finspace.internal.example", want: "https://finspace.internal.example"},
		{name: "general variable", general: "https://aws.internal.example", want: "https://aws.internal.example"},
		{name: "service before general", service: "https://finspace.internal.example", general: "https://aws.internal.example", want: "https://finspace.internal.example"},
		{name: "setting wins", setting: "https://proxy.example", service: "https://finspace.internal.example", want: "https://proxy.example"},
		{name: "ignored", service: "https://finspace.internal.example", ignore: "true", want: "https://finspace-api.us-east-1.amazonaws.com"},
		{name: "plain http to a remote host", service: "http://finspace.internal.example", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
			t.Setenv("AWS_SECRET_ACCESS_KEY", "example-secret")
			t.Setenv("AWS_CONFIG_FILE", "/dev/null")
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
			t.Setenv("AWS_PROFILE", "")
			t.Setenv(EndpointEnv, tc.service)
			t.Setenv("AWS_ENDPOINT_URL", tc.general)
			t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", tc.ignore)
			b, err := New(context.Background(), Config{Region: "us-east-1", Endpoint: tc.setting}, transport.Config{})
			if tc.wantErr {
				if !errors.Is(err, ErrEndpoint) {
					t.Fatalf("err = %v, want an ErrEndpoint", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := b.Endpoint(); got != tc.want {
				t.Fatalf("endpoint %q, want %q", got, tc.want)
			}
		})
	}
}
