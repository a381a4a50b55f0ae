"""``POST /++api++/@assistant``: the assistant through plone.restapi.

Request ``{"question": "…"}``; answer ``{"answer", "sources": [{"@id", "title"}], "found"}``
(plus ``links``: よくある質問 and お問い合わせ, for when nothing was found). Errors are
``{"type", "message"}`` with a Japanese message: 400 for invalid JSON, an empty question or
one over 200 characters, 429 (with ``Retry-After``) past the rate limit per client address.
Anonymous visitors may ask; nothing is written to the ZODB.
"""

from kagoshima.saiyo.search import assistant
from plone.restapi.services import Service

import json
import logging


logger = logging.getLogger("kagoshima.saiyo.search.assistant")


class AssistantPost(Service):
    def _error(self, status, kind, message):
        self.request.response.setStatus(status)
        return {"type": kind, "message": message}

    def reply(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        body = self.request.get("BODY") or b""
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            logger.info("assistant: request refused: the body is not JSON")
            return self._error(400, "BadRequest", assistant.INVALID_MESSAGE)
        question = data.get("question") if isinstance(data, dict) else None
        message = assistant.validate(question)
        if message:
            logger.info(
                "assistant: request refused: %s", "no usable question" if question is None else message
            )
            return self._error(400, "BadRequest", message)
        wait = assistant.rate_limited(self.request)
        if wait:
            self.request.response.setHeader("Retry-After", str(wait))
            logger.info("assistant: rate limit reached, request refused")
            return self._error(429, "TooManyRequests", assistant.RATE_LIMIT_MESSAGE)
        result = assistant.ask(self.context, question)
        return {
            "answer": result["answer"],
            "sources": result["sources"],
            "found": result["found"],
            "links": assistant.links(self.context),
        }
