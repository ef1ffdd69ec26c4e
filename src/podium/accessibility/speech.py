"""Speech: each description synthesised to a WAV file with the local espeak-ng engine.

espeak-ng is a system package (installed by `scripts/_system_packages.sh`). It runs as an
asyncio subprocess, never through a shell: the text goes to its standard input (so no
sentence is ever read as an option), the WAV comes back on its standard output, and a
run that takes longer than `timeout_s` is killed. Files are cached under
`<data_dir>/speech/<lang>/<description id>.wav` and written atomically (temporary file,
then rename), so a reader never sees half a file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from podium.accessibility.spoken import SpeechLang
from podium.core.errors import PodiumError

__all__ = ["SPEECH_VOICES", "SpeechEngine", "SpeechUnavailableError", "sized_wav"]

SPEECH_VOICES: dict[SpeechLang, str] = {"en": "en", "fr": "fr"}
"""The espeak-ng voice of each language."""

_ID = re.compile(r"^\d+-\d+$")
_WORDS_PER_MINUTE = 165
_NICENESS = 10


class SpeechUnavailableError(PodiumError):
    """The speech engine is missing or failed; the text descriptions still work."""

    code = "speech_unavailable"


@dataclass
class SpeechEngine:
    """Synthesises descriptions with espeak-ng and caches the WAV files.

    Args:
        folder: the cache folder (`<data_dir>/speech`).
        program: the espeak-ng executable's name or path.
        timeout_s: the longest a synthesis may take, seconds.

    """

    folder: Path
    program: str = "espeak-ng"
    timeout_s: float = 10.0

    @property
    def executable(self) -> str | None:
        """The engine's path, or None when it is not installed."""
        return shutil.which(self.program)

    def path(self, description_id: str, lang: SpeechLang) -> Path:
        """Return where the audio of a description is cached.

        Raises:
            SpeechUnavailableError: `speech_bad_id` when the id is not `<seq>-<n>`.

        """
        if not _ID.match(description_id) or lang not in SPEECH_VOICES:
            msg = f"no audio named {description_id!r} in {lang!r}"
            raise SpeechUnavailableError(msg, code="speech_bad_id")
        return self.folder / lang / f"{description_id}.wav"

    async def synthesise(self, text: str, lang: SpeechLang) -> bytes:
        """Return the WAV bytes of a sentence spoken in `lang`.

        Raises:
            SpeechUnavailableError: `speech_unavailable` when espeak-ng is not installed,
                fails, or runs past the timeout.

        """
        executable = self.executable
        if executable is None:
            msg = f"{self.program} is not installed: install it (scripts/_system_packages.sh)"
            raise SpeechUnavailableError(msg)
        args = ["-v", SPEECH_VOICES[lang], "-s", str(_WORDS_PER_MINUTE), "--stdin", "--stdout"]
        # Speech runs at a lower CPU priority than the server: text first, audio next.
        nice = shutil.which("nice")
        command = [nice, "-n", str(_NICENESS), executable] if nice else [executable]
        process = await asyncio.create_subprocess_exec(
            *command,
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            wav, errors = await asyncio.wait_for(
                process.communicate(text.encode()), timeout=self.timeout_s
            )
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            msg = f"{self.program} took more than {self.timeout_s} s"
            raise SpeechUnavailableError(msg) from None
        if process.returncode != 0 or not wav.startswith(b"RIFF"):
            detail = errors.decode(errors="replace").strip()[:200]
            msg = f"{self.program} failed (exit {process.returncode}): {detail}"
            raise SpeechUnavailableError(msg)
        return sized_wav(wav)

    async def audio(self, description_id: str, lang: SpeechLang, text: str) -> Path:
        """Return the cached WAV of a description, synthesising it on first use.

        Raises:
            SpeechUnavailableError: see `synthesise` and `path`.

        """
        target = self.path(description_id, lang)
        if target.exists():
            return target
        wav = await self.synthesise(text, lang)
        await asyncio.to_thread(_write_atomically, target, wav)
        return target


def sized_wav(wav: bytes) -> bytes:
    """Write the true RIFF and `data` sizes into a WAV that was streamed.

    espeak-ng writing to a pipe cannot seek back, so its header claims the largest
    sizes; players that trust them (and Python's `wave`) see a file two hours long.

    Args:
        wav: a RIFF/WAVE file whose sizes may be placeholders.

    """
    marker = wav.find(b"data", 12)
    if not wav.startswith(b"RIFF") or marker < 0:
        return wav
    fixed = bytearray(wav)
    fixed[4:8] = (len(wav) - 8).to_bytes(4, "little")
    fixed[marker + 4 : marker + 8] = (len(wav) - marker - 8).to_bytes(4, "little")
    return bytes(fixed)


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(content)
    partial.replace(target)
