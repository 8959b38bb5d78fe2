"""Claims route: extract the quantities a text states and check each against the store, within set limits.

A check costs CPU in proportion to the text (about 1 s per 10,000 characters on one core), so the route bounds
it in the service layer: texts up to ``limits.max_claim_chars`` characters (longer ones are a 422 naming the
limit), ``limits.max_claim_checks`` checks at once (a check that cannot start within
:data:`~geostress.service.routing.CLAIMS_WAIT_S` seconds is a 429), and answers of at most
``limits.max_claims`` claims (the first ones in the text; ``truncated`` and ``claims_total`` say so), each
claim's sentence cut to :data:`MAX_SENTENCE_CHARS` characters.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from geostress.service import schemas as s
from geostress.service import views
from geostress.service.payloads import dumps
from geostress.service.routers.responses import E413, E429
from geostress.service.routing import CLAIMS_WAIT_S, ServiceContext, StrictJSONRoute, field_error, in_thread, raw

#: Longest sentence (``text`` of a claim) sent back; longer ones end with "…".
MAX_SENTENCE_CHARS = 1_000


def bounded_answer(payload: dict[str, Any], max_claims: int) -> dict[str, Any]:
    """``payload`` with at most ``max_claims`` claims and sentences cut to :data:`MAX_SENTENCE_CHARS`.

    ``truncated`` says whether claims were left out and ``claims_total`` how many the text holds.
    """
    claims = payload.get("claims", [])
    kept = []
    for claim in claims[:max_claims]:
        sentence = claim.get("text")
        if isinstance(sentence, str) and len(sentence) > MAX_SENTENCE_CHARS:
            claim = {**claim, "text": sentence[: MAX_SENTENCE_CHARS - 1] + "…"}
        kept.append(claim)
    return {**payload, "claims": kept, "truncated": len(claims) > max_claims, "claims_total": len(claims)}


def build(ctx: ServiceContext) -> APIRouter:
    """``POST /api/claims/check``."""
    router = APIRouter(route_class=StrictJSONRoute, tags=["claims"])
    limits = ctx.limits

    def check(text: str, lang: str, article_date: str | None) -> dict[str, Any] | None:
        if not ctx.claims_gate.acquire(timeout=CLAIMS_WAIT_S):
            return None
        try:
            return views.claims_payload(text, lang, ctx.store, article_date)
        finally:
            ctx.claims_gate.release()

    @router.post("/api/claims/check", response_model=s.ClaimsOut, responses={**E413, **E429})
    async def claims_check(request: s.ClaimsRequest) -> Any:
        """Extract the quantities a text states (English or Chinese) and check each against the store."""
        if len(request.text) > limits.max_claim_chars:
            return field_error(["body", "text"],
                               f"text of {len(request.text):,} characters; this server checks at most "
                               f"{limits.max_claim_chars:,} per request (limit max_claim_chars): split the text",
                               "limit_exceeded")
        if not request.text.strip():  # as `geostress claims check` refuses an empty file: a 200 with no claims
            return field_error(["body", "text"], "the text is empty; send the article's text",  # reads as "checked"
                               "value_error")
        if request.date is not None:
            try:
                day = date.fromisoformat(request.date)
            except ValueError as exc:
                return field_error(["body", "date"], f"date {request.date!r} is not a calendar date: {exc}",
                                   "date_error")
            if day > date.today():  # as `claims check --date`: a day after today is no article's date
                return field_error(["body", "date"], f"date {day} is after today ({date.today()}); give the day "
                                   "the article was published", "date_error")
        payload = await in_thread(check, request.text, request.lang, request.date)
        if payload is None:
            return JSONResponse({"detail": f"{limits.max_claim_checks} claim check(s) already running (limit "
                                           "max_claim_checks); try again shortly"},
                                status_code=429, headers={"Retry-After": "5"})
        return raw(dumps(bounded_answer(payload, limits.max_claims)))

    return router
