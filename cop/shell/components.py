"""Our own ``st.components.v2`` components: a shipped library and our script as one inline module.

A component's script goes to the browser inline with its element and runs from a blob
address, so nothing is fetched from outside the host. A library shipped as a UMD bundle
(the npm package's minified file, unchanged in the component's folder), given a
CommonJS-style ``module``, exports itself there instead of on ``window``: the page gains no
global, and our script finds the library under the name given here.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable


def module_script(folder: Traversable, library: str | None, name: str, script: str) -> str:
    """``library`` (a UMD bundle), then ``script``, from ``folder`` as one ES module; ``name`` holds the library.

    Without a library ``name`` is null (a script that finds it elsewhere). A source-map
    comment goes: the map is not shipped, and a browser's developer tools would otherwise
    ask the host for it.
    """
    ours = (folder / script).read_text(encoding="utf-8")
    if library is None:
        return f"const {name} = null;\n{ours}"
    bundle = "\n".join(
        line
        for line in (folder / library).read_text(encoding="utf-8").splitlines()
        if not line.startswith("//# sourceMappingURL=")
    )
    return (
        "const module = { exports: {} };\nconst exports = module.exports;\n"
        f"{bundle}\nconst {name} = module.exports;\n{ours}"
    )
