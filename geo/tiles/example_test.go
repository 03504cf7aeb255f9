package tiles_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
	"github.com/placeteam/placeteam/geo/tiles"
)

func exampleLayers() []tiles.Layer {
	ward := orb.Polygon{{{-2.25, 53.47}, {-2.23, 53.47}, {-2.23, 53.49}, {-2.25, 53.49}, {-2.25, 53.47}}}
	return []tiles.Layer{
		{Name: "wards", Features: []tiles.Feature{
			{ID: 1, Geometry: ward, Properties: map[string]any{"code": "E05011044", "population": 18250}},
		}},
		{Name: "practices", MinZoom: 10, Features: []tiles.Feature{
			{ID: 7, Geometry: orb.Point{-2.24, 53.48}, Properties: map[string]any{"code": "P84001", "active": true}},
		}},
	}
}

func Example() {
	ctx := context.Background()
	ts, err := tiles.NewTileset(exampleLayers(), tiles.Options{MaxZoom: 14})
	if err != nil {
		fmt.Println(err)
		return
	}
	svc, err := tiles.NewService(tiles.ServiceConfig{
		Tilesets: tiles.TilesetsFunc(func(_ context.Context, version string) (*tiles.Tileset, error) {
			if version != "v1" {
				return nil, tiles.ErrUnknownVersion
			}
			return ts, nil
		}),
		CacheControl: "public, max-age=31536000, immutable", // the version is in the URL
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	tile := maptile.At(orb.Point{-2.24, 53.48}, 12)
	ans, err := svc.Get(ctx, "v1", 12, int(tile.X), int(tile.Y), true, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ans.Status, ans.Headers["Content-Type"], ans.Headers["Content-Encoding"])
	layers, err := mvt.UnmarshalGzipped(ans.Body)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range layers {
		fmt.Println(l.Name, len(l.Features), "feature(s)")
	}

	// The browser revalidates with the ETag it was given.
	ans, _ = svc.Get(ctx, "v1", 12, int(tile.X), int(tile.Y), true, ans.Headers["ETag"])
	fmt.Println(ans.Status)

	ans, err = svc.Get(ctx, "v2", 12, int(tile.X), int(tile.Y), true, "")
	fmt.Println(ans.Status, err)
	// Output:
	// 200 application/vnd.mapbox-vector-tile gzip
	// wards 1 feature(s)
	// practices 1 feature(s)
	// 304
	// 404 tiles: unknown version
}

func ExampleNewTileJSON() {
	ts, err := tiles.NewTileset(exampleLayers(), tiles.Options{MaxZoom: 14})
	if err != nil {
		fmt.Println(err)
		return
	}
	doc, err := tiles.NewTileJSON(ts, tiles.TileJSONConfig{
		Name:        "demo",
		Tiles:       []string{"https://placeteam.example/tiles/v1/{z}/{x}/{y}.mvt"},
		Attribution: "Contains OS data © Crown copyright and database right",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(doc)
	// Output:
	// {
	//   "tilejson": "3.0.0",
	//   "name": "demo",
	//   "tiles": [
	//     "https://placeteam.example/tiles/v1/{z}/{x}/{y}.mvt"
	//   ],
	//   "vector_layers": [
	//     {
	//       "id": "wards",
	//       "fields": {
	//         "code": "String",
	//         "population": "Number"
	//       },
	//       "minzoom": 0,
	//       "maxzoom": 14
	//     },
	//     {
	//       "id": "practices",
	//       "fields": {
	//         "active": "Boolean",
	//         "code": "String"
	//       },
	//       "minzoom": 10,
	//       "maxzoom": 14
	//     }
	//   ],
	//   "attribution": "Contains OS data © Crown copyright and database right",
	//   "bounds": [
	//     -2.25,
	//     53.47,
	//     -2.23,
	//     53.49
	//   ],
	//   "minzoom": 0,
	//   "maxzoom": 14,
	//   "scheme": "xyz"
	// }
}
