"""Keep the garbage collector's full walks short, so they never hold other sessions for long.

CPython's cyclic collector now and then walks every object it tracks (a "full", generation 2,
collection), holding the GIL for the whole walk, in whichever thread happens to allocate: so
every session waits, whichever one caused it. After start-up the tracked objects are mostly
the imports' (the MCP SDK, pydantic, starlette: ~90,000), which live as long as the process,
and walking them cost 60-190 ms per full collection on the bench machine; a new huge draft's
objects trigger such a collection at once. ``gc.freeze()`` moves everything alive at start-up
out of the collector's walks for good (the pattern Instagram documented for its web workers);
what is made later is collected as ever, and frozen objects are still freed by reference
counting when their last reference goes.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Call once, after the server is built and before it serves.

    No ``gc.collect()`` first: at that point it finds ~100 unreachable objects (a few kB, kept
    for good once frozen) and would cost the 60-190 ms walk at every start.
    """
    gc.freeze()
