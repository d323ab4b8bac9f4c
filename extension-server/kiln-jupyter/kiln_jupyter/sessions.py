"""Tells each kernel which notebook it runs for, and tells it again when the notebook is renamed.

Jupyter names a kernel's notebook only once, at the kernel's start (JPY_SESSION_NAME, Jupyter Server
1.x and 2; the classic Notebook 6 not at all), and a rename never reaches the kernel. This server
knows every session's path: when a notebook's session is created or changed (its path, its kernel),
and when a file or a folder is renamed through Jupyter, the notebook's path is written to
``kiln-notebook-<the kernel's connection file name>`` beside the kernel's connection file (atomically,
readable by this user only). The Kiln kernel reads that file whenever it needs its notebook.

File: {"path": "<path under Jupyter's root, as the file browser shows it>",
       "file": "<the notebook's file on disk, when the contents live on this machine>"}
"""

import asyncio
import atexit
import inspect
import json
import os
import posixpath
import tempfile
from typing import NamedTuple, Optional

PREFIX = "kiln-notebook-"


def notebook_file_for(connection_file):
    """Where a kernel with this connection file finds its notebook (the Kiln kernel derives the same)."""
    folder, name = os.path.split(connection_file)
    return os.path.join(folder, PREFIX + name)


class Told(NamedTuple):
    """What a notebook session's kernel was last told: its path, in which file."""
    kernel_id: str
    path: str
    file: str


class KernelNotebooks:
    """The notebook of every kernel with a notebook session, kept in the files those kernels read."""

    def __init__(self, app):
        self.sessions = app.session_manager
        self.contents = app.contents_manager
        self.kernels = app.kernel_manager
        self.log = app.log
        self.told = {}  # session id -> Told

    def install(self):
        """Follows the session manager's changes and the contents manager's renames from now on."""
        sessions = self.sessions
        create, update, delete = sessions.create_session, sessions.update_session, sessions.delete_session

        # what Kiln does after Jupyter's own work never fails Jupyter's request: it is logged instead
        async def create_session(*args, **kwargs):
            model = await create(*args, **kwargs)
            try:
                self._tell(model)
            except Exception:
                self.log.exception("Kiln: could not tell a new session's kernel its notebook")
            return model

        async def update_session(session_id, **kwargs):
            await update(session_id, **kwargs)
            try:
                self._tell(await sessions.get_session(session_id=session_id))
            except Exception:
                self.log.exception("Kiln: could not tell session %s's kernel its notebook", session_id)

        async def delete_session(session_id):
            await delete(session_id)
            self._forget(session_id)

        sessions.create_session, sessions.update_session, sessions.delete_session = create_session, update_session, delete_session

        rename = self.contents.rename

        # Kernels are told before the rename returns (Server 2's contents events would come later); Jupyter's
        # session rows follow, as a front end's PATCH of the session would. The wrapper keeps the original's
        # kind: Jupyter Server 2's contents managers are asynchronous, the classic Notebook's and 1.x's mostly not.
        if inspect.iscoroutinefunction(rename):
            async def follow_rename(old_path, new_path):
                result = await rename(old_path, new_path)
                await self._move_rows(self._move(old_path, new_path))
                return result
        else:
            def follow_rename(old_path, new_path):
                result = rename(old_path, new_path)
                asyncio.ensure_future(self._move_rows(self._move(old_path, new_path)))
                return result
        self.contents.rename = follow_rename
        atexit.register(self.remove_all)

    def _tell(self, model):
        session_id = model["id"]
        kernel_id = (model.get("kernel") or {}).get("id")
        before = self.told.get(session_id)
        if before is not None and (before.kernel_id != kernel_id or model.get("type") != "notebook"):
            self._forget(session_id)
        if kernel_id is None or model.get("type") != "notebook":
            return  # consoles and other files name no notebook
        file = self._notebook_file(kernel_id)
        if file is None:
            return
        path = model["path"]
        if before is None or before != Told(kernel_id, path, file):
            self._write(file, path)
        self.told[session_id] = Told(kernel_id, path, file)

    def _move(self, old_path, new_path):
        """Kernels whose notebook was old_path (or inside that folder) are told new_path now; returns what moved."""
        old_path, new_path = old_path.strip("/"), new_path.strip("/")
        moved = []
        for session_id, told in list(self.told.items()):
            if told.path == old_path or told.path.startswith(old_path + "/"):
                path = new_path + told.path[len(old_path):]
                self._write(told.file, path)
                self.told[session_id] = told._replace(path=path)
                moved.append((session_id, told.path, path))
        return moved

    async def _move_rows(self, moved):
        """Jupyter's session rows name the new paths too, as a front end's own PATCH of the session would."""
        for session_id, old_path, path in moved:
            try:
                model = await self.sessions.get_session(session_id=session_id)
                changes = {"path": path}
                if model.get("name") == posixpath.basename(old_path):
                    changes["name"] = posixpath.basename(path)
                await self.sessions.update_session(session_id, **changes)
            except Exception as e:  # the session ended meanwhile: nothing left to follow
                self.log.debug("Kiln: session %s not updated after a rename: %s", session_id, e)

    def _forget(self, session_id):
        told = self.told.pop(session_id, None)
        if told is not None and not any(t.file == told.file for t in self.told.values()):
            _remove(told.file)

    def remove_all(self):
        for told in self.told.values():
            _remove(told.file)
        self.told.clear()

    def _notebook_file(self, kernel_id) -> Optional[str]:
        """Beside the kernel's connection file; None for a kernel without one here (a gateway's)."""
        try:
            connection_file = self.kernels.get_kernel(kernel_id).connection_file
        except (KeyError, AttributeError):
            return None
        return notebook_file_for(connection_file) if connection_file and os.path.isabs(connection_file) else None

    def _write(self, file, path):
        info = {"path": path}
        os_path = self._os_path(path)
        if os_path is not None:
            info["file"] = os_path
        try:
            folder = os.path.dirname(file)
            fd, temp = tempfile.mkstemp(prefix=".kiln-notebook-", dir=folder)  # mode 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(info, f)
                os.replace(temp, file)
            except BaseException:
                _remove(temp)
                raise
        except OSError as e:
            self.log.warning("Kiln: could not tell the kernel its notebook %s in %s: %s", path, file, e)

    def _os_path(self, path):
        """The notebook's file on disk, for contents managers that keep files on this machine."""
        os_path = getattr(self.contents, "_get_os_path", None)
        if os_path is None:
            return None
        try:
            return os.path.abspath(os_path(path))
        except Exception:  # outside the root: Jupyter refuses such a path itself
            return None


def _remove(file):
    try:
        os.remove(file)
    except OSError:
        pass
