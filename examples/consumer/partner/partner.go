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

// AdoptPet creates a pet from a name and returns its id; the connector
// retries what the API asks it to retry.
func AdoptPet(ctx context.Context, baseURL string, key auth.SecretSource, name string) (int64, error) {
	c, err := petstore.New(baseURL, petstore.WithAPIKey(auth.APIKeyFrom(key)))
	if err != nil {
		return 0, err
	}
	pet, err := c.CreatePet(ctx, petstore.CreatePetRequest{Body: petstore.NewPet{Name: name}})
	if err != nil {
		return 0, err
	}
	return pet.ID.Value, nil
}

// PetName returns the name of the pet id.
func PetName(ctx context.Context, baseURL string, key auth.SecretSource, id int64) (string, error) {
	c, err := petstore.New(baseURL, petstore.WithAPIKey(auth.APIKeyFrom(key)))
	if err != nil {
		return "", err
	}
	pet, err := c.GetPet(ctx, petstore.GetPetRequest{PetID: id})
	if err != nil {
		return "", err
	}
	return pet.Name, nil
}
