"""Team members, for the operator: ``python -m ai_video_music.hosted.members add|remove NAME``.

Reads ``NEMO_DATABASE_URL`` and ``NEMO_SECRET_KEY`` (as the server does). ``add`` prints the new
member's code once, on stdout, for the operator to hand over; only its keyed hash is stored.
``remove`` deletes every member of that name, with their projects' rows and sign-ins; the
spending of their running requests stays, unnamed, so colleagues' overlapping requests are billed
right (``team.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from . import db
from .accounts import Accounts
from .config import HostedConfigError, check_database_url, check_secret_key
from .secrets_box import SecretBox


async def run(action: str, name: str) -> str:
    pool = db.make_pool(check_database_url(os.environ.get("NEMO_DATABASE_URL")), max_size=1)
    box = SecretBox(check_secret_key(os.environ.get("NEMO_SECRET_KEY")))
    await pool.open(wait=True, timeout=30)
    try:
        async with pool.connection() as conn:
            await db.migrate(conn)
        accounts = Accounts(pool, box)
        if action == "add":
            return await accounts.add_member(name)
        return f"removed {await accounts.remove_member(name)} member(s) named {name!r}"
    finally:
        await pool.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ai_video_music.hosted.members")
    parser.add_argument("action", choices=["add", "remove"])
    parser.add_argument("name", help="the member's name, as you know them (shown to nobody else)")
    args = parser.parse_args(argv)
    name = args.name.strip()
    if not name or len(name) > 200:
        parser.error("give a name of 1 to 200 characters")
    try:
        print(asyncio.run(run(args.action, name)))
    except HostedConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
