"""Documented error answers shared by the routers (OpenAPI ``responses``)."""

from __future__ import annotations

from typing import Any

from geostress.service import schemas as s

E404: dict[int | str, dict[str, Any]] = {404: {"model": s.ErrorOut, "description": "Unknown id"}}
E409: dict[int | str, dict[str, Any]] = {409: {"model": s.ErrorOut, "description": "Not in a state that allows this"}}
E422: dict[int | str, dict[str, Any]] = {
    422: {"model": s.ValidationErrorOut, "description": "Invalid input; `loc` names the field"}}
E429: dict[int | str, dict[str, Any]] = {429: {"model": s.ErrorOut, "description": "Too busy: try again later"}}
E503: dict[int | str, dict[str, Any]] = {503: {"model": s.ErrorOut, "description": "The data store cannot be read"}}
E413: dict[int | str, dict[str, Any]] = {
    413: {"model": s.ErrorOut, "description": "Request body too large"},
    400: {"model": s.ErrorOut, "description": "The body is not UTF-8 JSON"}}
