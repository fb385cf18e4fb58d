"""The cold-start baseline: a bare MCPServer with five empty tools, over stdio."""

from mcp.server.mcpserver import MCPServer

server = MCPServer(name="bare")


@server.tool()
def generate(prompt: str) -> str:
    return ""


@server.tool()
def upload(files: list[str], urls: list[str]) -> str:
    return ""


@server.tool()
def status() -> str:
    return ""


@server.tool()
def credits() -> str:
    return ""


@server.tool()
def export(format: str = "mp4", quality: str = "high") -> str:
    return ""


if __name__ == "__main__":
    server.run()
