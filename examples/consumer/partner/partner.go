package partner

import (
	"context"

	"github.com/connectorgen/connectorgen/examples/consumer/partner/petstore"
	"github.com/connectorgen/connectorgen/runtime/auth"
)

// AvailablePetNames lists the names of available pets, using the vendored
// connector; the API key comes from the caller's secret source.
func AvailablePetNames(ctx context.Context, baseURL string, key auth.SecretSource) ([]string, error) {
	c, err := petstore.New(baseURL, petstore.WithAPIKey(auth.APIKeyFrom(key)))
	if err != nil {
		return nil, err
	}
	res, err := c.ListPets(ctx, petstore.ListPetsRequest{Status: []petstore.PetStatus{petstore.PetStatusAvailable}})
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(res.OK.Items))
	for _, p := range res.OK.Items {
		names = append(names, p.Name)
	}
	return names, nil
}
