"""Hosted mode: many users on one public server, signed in with OAuth, state in PostgreSQL.

Optional: needs the ``hosted`` extra (psycopg, cryptography, starlette, uvicorn). Nothing here is
imported by the local (stdio / loopback HTTP) server.
"""
