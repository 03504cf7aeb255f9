module github.com/placeteam/placeteam

go 1.26.8

require (
	github.com/paulmach/orb v0.14.0
	go.yaml.in/yaml/v3 v3.0.6
)
