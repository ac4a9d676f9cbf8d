"""JSON Schema (draft 2020-12) of the file kinds, made from the models.

For editors (``# yaml-language-server: $schema=…``) and for check-jsonschema; the
schema and ``zyklus validate`` agree on every shape error (tested).
"""

from __future__ import annotations

import json

from zyklus.errors import UsageError
from zyklus.models import SCHEMA_MODELS

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema_dict(name: str) -> dict[str, object]:
    model = SCHEMA_MODELS.get(name)
    if model is None:
        raise UsageError.single("schema-unknown", name=name, allowed=", ".join(SCHEMA_MODELS))
    schema = model.model_json_schema(by_alias=True)
    return {"$schema": DRAFT, "$id": f"https://zyklus.invalid/schema/{name}.json", **schema}


def json_schema(name: str) -> str:
    return json.dumps(schema_dict(name), ensure_ascii=False, indent=2, sort_keys=False)
