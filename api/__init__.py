"""The versioned JSON API under /api/v1: bearer tokens (`tokens`), problem answers (`problems`), the routes, the
JSON shapes (`shapes`) and the OpenAPI document (`openapi.yml`, served at /api/v1/openapi.json)."""
