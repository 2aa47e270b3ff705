"""A FastAPI server that streams a reply as Server-Sent Events in the default {"token"} format.

The wire format is docs/wire-formats.md section 1: one `data: {"token": "..."}` event per token
(JSON-wrapped, so a token containing a newline cannot break the SSE framing), `data: [DONE]` at the
end, or `data: {"error": "..."}` when generation fails after the 200 status is already sent.

The "model" is a deterministic script: no API key, no network, a fixed reply per prompt.

Run it (from this folder): /usr/bin/python3 -m uvicorn app:app --port 8000
Environment: TOKEN_DELAY_MS, the pause before each token in milliseconds (default 35).
"""

import asyncio
import json
import logging
import os
import re
from typing import AsyncIterator, List, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, StrictStr, validator

# Uvicorn configures this logger (despite its name it is uvicorn's general log), so our lines
# appear beside "Uvicorn running on ..." without any logging setup of our own.
log = logging.getLogger("uvicorn.error")

TOKEN_DELAY_SECONDS = float(os.environ.get("TOKEN_DELAY_MS", "35")) / 1000

MAX_PROMPT_LENGTH = 16_000
"""The most characters a prompt may have (longer ones get a 400)."""

ERROR_MESSAGE = "The demo model failed on purpose (your prompt asked for an error)"
TOKENS_BEFORE_ERROR = 6

BODY = (
    "I am the demo model of the FastAPI example: no API key, no real intelligence, just a fixed "
    "script, so the same prompt always gets the same words. Every word travels as its own "
    "Server-Sent Event, JSON-encoded, so even a token that contains a newline cannot break the "
    "framing.\n\nWatch the text grow 🚀 and notice that 日本語, Ελληνικά and café survive the trip "
    "through UTF-8 intact. Press Stop at any time: the server stops generating as soon as the "
    "connection closes."
)


def reply_text(prompt: str) -> str:
    """The full text of the reply to `prompt` (what a successful stream delivers)."""
    one_line = " ".join(prompt.split())
    return f"You asked: “{one_line}”. {BODY}"


def tokenize(text: str) -> List[str]:
    """Each word with the whitespace after it: joined, the tokens are the text again."""
    return re.findall(r"\s*\S+\s*", text)


def wants_error(prompt: str) -> bool:
    """True when the prompt contains the word "error" (any case): the demo's mid-stream failure."""
    return re.search(r"\berror\b", prompt, re.IGNORECASE) is not None


def sse(data: object) -> str:
    """One SSE event whose data is `data` as JSON (json.dumps never emits a raw newline)."""
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


class ChatRequest(BaseModel):
    prompt: StrictStr

    @validator("prompt")
    def prompt_is_not_empty(cls, value: str) -> str:
        if value.strip() == "":
            raise ValueError("must not be empty")
        if len(value) > MAX_PROMPT_LENGTH:
            raise ValueError(f"must be at most {MAX_PROMPT_LENGTH} characters")
        return value


app = FastAPI()


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


@app.exception_handler(RequestValidationError)
async def bad_body(request: Request, error: RequestValidationError) -> JSONResponse:
    # FastAPI answers 422 with its own shape; this API says 400 {"error": "..."} like the Node example.
    first = error.errors()[0] if error.errors() else {}
    if first.get("type") == "value_error.jsondecode":
        return error_response(400, "the body is not valid JSON")
    if first.get("loc") == ("body",):
        return error_response(400, "the body must be a JSON object")
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    return error_response(400, f"{where}: {first.get('msg', 'invalid')}")


@app.middleware("http")
async def require_json(request: Request, call_next):
    # Checked before FastAPI reads the body. Only a JSON body makes a browser send a CORS preflight
    # first, so a page on another site cannot start a generation with a plain form or text POST.
    if request.method == "POST" and request.url.path == "/chat/stream":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            log.info("415: Content-Type %r refused", request.headers.get("content-type"))
            return error_response(415, "Content-Type must be application/json")
    return await call_next(request)


@app.post("/chat/stream")
async def chat_stream(chat: ChatRequest, request: Request) -> StreamingResponse:
    tokens = tokenize(reply_text(chat.prompt))
    error: Optional[str] = None
    if wants_error(chat.prompt):
        tokens, error = tokens[:TOKENS_BEFORE_ERROR], ERROR_MESSAGE

    async def events() -> AsyncIterator[str]:
        sent = 0
        log.info("streaming a reply of %d tokens", len(tokens))
        try:
            for token in tokens:
                await asyncio.sleep(TOKEN_DELAY_SECONDS)  # a real model would be awaited here
                # The client went away (Stop, a closed tab): stop paying for tokens nobody reads.
                if await request.is_disconnected():
                    log.info("client disconnected after %d of %d tokens; stopped generating", sent, len(tokens))
                    return
                yield sse({"token": token})
                sent += 1
            if error is not None:
                log.info("sent the error event after %d tokens", sent)
                yield sse({"error": error})
                return
            yield "data: [DONE]\n\n"
        except asyncio.CancelledError:
            # Starlette's StreamingResponse also watches for the disconnect and cancels this
            # generator at its next await: the same Stop, seen from the other side.
            log.info("client disconnected after %d of %d tokens; stopped generating", sent, len(tokens))
            raise
        except Exception:
            # The status (200) is already out: report the failure in the stream, as section 1 says.
            log.exception("generation failed after %d tokens", sent)
            yield sse({"error": "The model failed"})

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={
            "Cache-Control": "no-cache",
            # nginx (and proxies that follow it) would otherwise buffer the whole reply.
            "X-Accel-Buffering": "no",
        },
    )
