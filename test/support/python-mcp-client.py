"""Drives the Python SDK's MCP client (`mcp.Client`: streamable HTTP, its default dual-era
negotiation) for the interop tests. Importing `mcp` costs seconds, so one process serves a
whole test file: each stdin line is a job `{"url", "tool", "arguments", "progressSteps", "mode"}` (`mode`:
the client's negotiation, "auto" by default, or "legacy"); for each, it connects,
lists tools, calls the tool with a progress callback, disconnects, and prints one JSON line
saying what it saw, in the order it saw it (or `{"error": ...}`).
"""

import asyncio
import json
import sys
import traceback

import anyio
from mcp import Client


async def run(job: dict[str, object]) -> dict[str, object]:
    # Progress and the result, in arrival order: the test checks progress came first.
    events: list[dict[str, object]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        events.append({"progress": progress, "total": total})

    async with Client(str(job["url"]), mode=str(job.get("mode") or "auto")) as client:
        listed = await client.list_tools()
        result = await client.call_tool(
            str(job["tool"]), dict(job.get("arguments") or {}), progress_callback=on_progress
        )
        events.append({"result": True})
        # The SDK runs progress callbacks as tasks, so the last one may still be queued when the
        # call returns: give it up to 2 s to run (the test allows only the last to be late).
        deadline = anyio.current_time() + 2
        while len(events) - 1 < int(job.get("progressSteps") or 0) and anyio.current_time() < deadline:
            await anyio.sleep(0.01)
        texts = [c.text for c in result.content if getattr(c, "type", None) == "text"]
        text = texts[0] if texts else ""
        return {
            "protocolVersion": client.protocol_version,
            "tools": [t.name for t in listed.tools],
            "events": events,
            "isError": bool(result.is_error),
            # A 2 MB result is checked by its length and content, not echoed back whole.
            "textLength": len(text),
            "textHead": text[:200],
            "allX": len(text) > 0 and text.count("x") == len(text),
        }


async def main() -> None:
    print(json.dumps({"ready": True}), flush=True)
    # Jobs come one at a time and each finishes before the next: a blocking read is fine.
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            report = await run(json.loads(line))
        except Exception:  # noqa: BLE001 - the test shows whatever went wrong
            report = {"error": traceback.format_exc()}
        print(json.dumps(report), flush=True)


asyncio.run(main())
