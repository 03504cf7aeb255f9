package configuration

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// Read parses a configuration file (YAML; JSON is YAML too). Unknown fields
// are errors, so a misspelt key is not silently ignored.
func Read(r io.Reader, name string) (*Configuration, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var c Configuration
	if err := dec.Decode(&c); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("configuration: %s: file is empty", name)
		}
		return nil, fmt.Errorf("configuration: %s: %w", name, err)
	}
	return &c, nil
}

// ReadFile reads a configuration file from disk.
func ReadFile(path string) (*Configuration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return Read(bytes.NewReader(b), path)
}
