"""A request's answer as the caller wants it: the part it asked for, or the hub's refusal raised.

Search, duplicates, people and grid work all answer in one shape (``code``/``message`` on a
refusal); this turns the connection's Future of that answer into a Future of what was asked.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


def answered(source: Future[Any], unwrap: Callable[[Any], Any],
             refused: Callable[[Any, str], BaseException]) -> Future[Any]:
    """``unwrap(answer)`` when the hub answered, ``refused(code, message)`` when it refused."""
    out: Future[Any] = Future()

    def done(answer_future: Future[Any]) -> None:
        try:
            answer = answer_future.result()
        except BaseException as exc:  # noqa: BLE001 - handed on to the caller
            out.set_exception(exc)
            return
        if answer.code is not None:
            out.set_exception(refused(answer.code, answer.message))
        else:
            out.set_result(unwrap(answer))

    source.add_done_callback(done)
    return out
