"""Drives the Python SDK's MCP client (`mcp.Client`: streamable HTTP, its default dual-era
negotiation) for the interop tests. Importing `mcp` costs seconds, so one process serves a
whole test file: each stdin line is a job `{"url", "tool", "arguments", "progressSteps", "mode"}` (`mode`:
the client's negotiation, "auto" by default, "legacy", or a pinned modern version such as
"2026-07-28"); for each, it connects, lists tools, calls the tool with a progress callback,
disconnects, and prints one JSON line saying what it saw, in the order it saw it (or
`{"error": ...}`). A job with `"scenario": "modern"` runs `run_modern` instead.
"""

import asyncio
import json
import sys
import traceback

import anyio
import mcp_types as types
from mcp import Client
from mcp.client.subscriptions import ResourceUpdated


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


async def run_modern(job: dict[str, object]) -> dict[str, object]:
    """A modern-only client's day: connect pinned to `mode` (no probe, no fallback), list tools,
    call `progress.tool` with progress, call `elicit.tool` answering its elicitation with
    `elicit.answer` (on 2026-07-28 that can only come as an input-required result: MRTR), then
    listen to `listen.uri`, call `listen.trigger` and wait (up to `listen.timeoutS`) for the
    first `resources/updated`."""
    progress: list[float] = []
    elicitations: list[dict[str, object]] = []
    progress_job = dict(job["progress"])  # type: ignore[arg-type]
    elicit_job = dict(job["elicit"])  # type: ignore[arg-type]
    listen_job = dict(job["listen"])  # type: ignore[arg-type]

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    async def on_elicit(ctx: object, params: types.ElicitRequestParams) -> types.ElicitResult:
        # The context's request id is the input request's key in the input-required result.
        elicitations.append({"key": str(getattr(ctx, "request_id", "")), "message": params.message})
        return types.ElicitResult(action="accept", content=dict(elicit_job["answer"]))  # type: ignore[arg-type]

    def texts(result: types.CallToolResult) -> str:
        return "\n".join(c.text for c in result.content if getattr(c, "type", None) == "text")

    async with Client(str(job["url"]), mode=str(job["mode"]), elicitation_callback=on_elicit) as client:
        tools = [t.name for t in (await client.list_tools()).tools]
        called = await client.call_tool(
            str(progress_job["tool"]), dict(progress_job.get("arguments") or {}), progress_callback=on_progress
        )
        # Progress callbacks run as tasks: the last may still be queued when the call returns.
        deadline = anyio.current_time() + 2
        while len(progress) < int(progress_job.get("steps") or 0) and anyio.current_time() < deadline:
            await anyio.sleep(0.01)
        elicited = await client.call_tool(str(elicit_job["tool"]), dict(elicit_job.get("arguments") or {}))
        updated: list[str] = []
        async with client.listen(resource_subscriptions=[str(listen_job["uri"])]) as sub:
            honored = list(sub.honored.resource_subscriptions or [])
            trigger = dict(listen_job["trigger"])  # type: ignore[arg-type]
            await client.call_tool(str(trigger["tool"]), dict(trigger.get("arguments") or {}))
            with anyio.move_on_after(float(listen_job.get("timeoutS") or 20)):
                async for event in sub:
                    if isinstance(event, ResourceUpdated):
                        updated.append(event.uri)
                        break
        return {
            "protocolVersion": client.protocol_version,
            "tools": tools,
            "progress": progress,
            "progressText": texts(called),
            "elicitations": elicitations,
            "elicitText": texts(elicited),
            "honored": honored,
            "updated": updated,
        }


async def main() -> None:
    print(json.dumps({"ready": True}), flush=True)
    # Jobs come one at a time and each finishes before the next: a blocking read is fine.
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            job = json.loads(line)
            report = await (run_modern(job) if job.get("scenario") == "modern" else run(job))
        except Exception:  # noqa: BLE001 - the test shows whatever went wrong
            report = {"error": traceback.format_exc()}
        print(json.dumps(report), flush=True)


asyncio.run(main())
