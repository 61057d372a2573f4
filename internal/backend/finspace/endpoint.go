package finspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// ServiceID is the FinSpace Data API's service id in the AWS SDKs'
// models (serviceId "finspace data"), which names its endpoint settings:
// the environment variable AWS_ENDPOINT_URL_FINSPACE_DATA and the
// finspace_data key of a shared config services section.
const ServiceID = "finspace data"

// EndpointEnv is the service's own endpoint variable, by the AWS SDKs'
// convention (AWS_ENDPOINT_URL_ and the service id in upper case, spaces
// as underscores).
const EndpointEnv = "AWS_ENDPOINT_URL_FINSPACE_DATA"

// ErrEndpoint marks an endpoint that cannot be used, so that the provider
// can attach the error to the endpoint attribute: errors.Is(err, ErrEndpoint).
var ErrEndpoint = errors.New("invalid endpoint")

// serviceEndpointSource is what the SDK's configuration sources (the
// environment, a shared config profile) offer for a service's endpoint.
type serviceEndpointSource interface {
	GetServiceBaseEndpoint(ctx context.Context, sdkID string) (string, bool, error)
}

// configuredEndpoint is the endpoint the AWS configuration sets for the
// FinSpace Data API, as the AWS SDKs resolve it for their own clients: the
// service's own setting (AWS_ENDPOINT_URL_FINSPACE_DATA, or the profile's
// services section), else the general one (AWS_ENDPOINT_URL, or the
// profile's endpoint_url); none where AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
// (or the profile's ignore_configured_endpoint_urls) says so. The SDK's own
// resolver for this lives in each generated service client, and the
// FinSpace Data client is not available to this build: this is its lookup,
// made through the SDK's exported configuration sources.
func configuredEndpoint(ctx context.Context, awsCfg aws.Config) (string, error) {
	if ignore, found, err := config.GetIgnoreConfiguredEndpoints(ctx, awsCfg.ConfigSources); err != nil {
		return "", err
	} else if found && ignore {
		return "", nil
	}
	for _, src := range awsCfg.ConfigSources {
		s, ok := src.(serviceEndpointSource)
		if !ok {
			continue
		}
		v, found, err := s.GetServiceBaseEndpoint(ctx, ServiceID)
		if err != nil {
			return "", fmt.Errorf("reading the configured endpoint of %s: %w", ServiceID, err)
		}
		if found && v != "" {
			return v, nil
		}
	}
	return aws.ToString(awsCfg.BaseEndpoint), nil
}
