"""Which project a request's words mean: one named in quotes, named or described by what it
shows ("the beach one"), the one holding a photo or a text the words edit, or a hold's; and
whether a project has media or work in it. Reads only (the store), for the service's routing."""

from __future__ import annotations

import re

from .asked import _QUOTED, files_named
from .asked import read as read_asked
from .asked.files import _stem_said
from .mentions import Elsewhere, describes_a_video, edited_texts, elsewhere, photos_said
from .mentions import described as described_by
from .mentions import edits_elsewhere as edits_elsewhere_of
from .messages import Lang
from .naming import quoted
from .projects import CLIENT
from .records import TurnState
from .shared import Shared
from .store import Project
from .turns import prompt_key

OTHER_PROJECTS_READ = 50  # the user's recent projects a request's words are matched against


class Targets:
    """The projects a request's words point at (one per service)."""

    def __init__(self, shared: Shared) -> None:
        self.s = shared

    def held_here(self, prompt: str) -> bool:
        """The current project's newest request is these words, held (not sent) for a file or
        photos it lacks: "the same arguments and accept_cost=true" (new_project among them) means
        send it there, never make a second, empty project for it (play18en F14)."""
        current = self.s.projects.current
        if current is None:
            return False
        latest = self.s.store.latest_turn(CLIENT.get(), current.id)
        return (
            latest is not None
            and latest.status is TurnState.NOT_SENT
            and latest.prompt_key == prompt_key(prompt)
            and latest.fact_map.get("not_sent") in ("no_such_file", "no_media")
        )

    def quoted_project(self, prompt: str, lang: Lang) -> tuple[str, str] | None:
        """A project named in quotes ("导出「毕业那天」", 'export "Grad day"'): its id, and the
        prompt with the name said as "the video" instead (for routing the rest)."""
        names = {q.casefold(): q for q in quoted(prompt)}
        if not names:
            return None
        projects, _total = self.s.store.recent_projects(OTHER_PROJECTS_READ)
        for project in projects:
            said = names.get((project.name or "").casefold())
            if said is not None:
                stand_in = "那个视频" if lang == "zh" else "the video"
                bare = re.sub(rf"[\"“”「」『』']\s*{re.escape(said)}\s*[\"“”「」『』']", stand_in, prompt)
                return project.id, bare
        return None

    def named_other(self, prompt: str) -> Elsewhere | None:
        """The other project(s) a free command's words name ("export the grandpa video") or
        describe by what they show ("export the beach one": its photo is beach.jpg, play26en F21:
        the current, other video was exported and handed over as the beach one)."""
        current = self.s.projects.current
        if current is None:
            return None
        others, _total = self.s.store.recent_projects(OTHER_PROJECTS_READ)
        found = elsewhere(prompt, current, others) or self.described(prompt, current, others, whole=True)
        return None if found is None or found.wrong or not found.named else found

    def described(
        self, prompt: str, current: Project, others: list[Project], whole: bool = False
    ) -> Elsewhere | None:
        """Another project the words describe by what it shows ("海边民宿那个视频": its photo is
        beach.jpg), from each project's file names and the texts the user quoted in it.
        ``whole``: the words are a free command on a whole video ("把王姐那个导出来")."""
        if not describes_a_video(prompt, whole):
            return None
        files = self._files([current, *others])
        texts: dict[str, list[str]] = {}
        turns = self.s.store.session_turns(CLIENT.get(), limit=100)
        # The last answer: the tracks it offered are music, never a video (play27en S2)
        offered = next((gen.reply for gen in turns if gen.status is not TurnState.NOT_SENT), "")
        for gen in turns:
            if gen.status is TurnState.NOT_SENT:
                continue  # held or refused (maybe for speaking of another video): not its words
            # Each project's own words count whole: the current one's ("做个海边民宿的视频": never
            # held for a description the user gave it), and another's ("用这几张杯子图做个竖屏视频":
            # "杯子那个视频" is that one, play-test 22 F1).
            texts.setdefault(gen.project_id or "", []).append(gen.prompt)
        return described_by(prompt, current, others, files, texts, offered or "", whole=whole)

    def edits_elsewhere(self, prompt: str, current: Project, others: list[Project]) -> Elsewhere | None:
        """Another project that alone has the quoted text the words edit ("「洗澡前」改到第1秒出现")
        or the photo they name (play-test 20: sent to the current video, it wrecked it)."""
        stated = read_asked(prompt)
        if not others or not (
            edited_texts(prompt)
            or files_named(prompt)
            or stated.order
            or stated.sequence
            or stated.uses
            or photos_said(prompt)
        ):
            return None  # nothing the words edit or name: no store reads
        files = self._files([current, *others])
        texts: dict[str, list[str]] = {}
        for gen in self.s.store.session_turns(CLIENT.get(), limit=100):
            if gen.status is TurnState.NOT_SENT:
                continue  # a request held (this one, maybe): nothing of it is on any timeline
            # What the user quoted, and what the verified changes said was on its timeline.
            built = gen.fact_map.get("built")
            seen = [str(v) for v in built.values()] if isinstance(built, dict) else []
            texts.setdefault(gen.project_id or "", []).extend([*quoted(gen.prompt), *gen.change_list, *seen])
        return edits_elsewhere_of(prompt, current, others, files, texts)

    def _files(self, projects: list[Project]) -> dict[str, list[str]]:
        """Each project's uploaded file names (its 50 newest), by id."""
        return {p.id: [m.name for m in self.s.store.media_page(p.id, 50)[0]] for p in projects}

    def held_for(self, prompt: str, current: Project | None) -> Project | None:
        """The one other project a hold's words name or describe ("don't export the candle one
        yet"), else None (the hold is the current project's)."""
        if current is None:
            return None
        others, _total = self.s.store.recent_projects(OTHER_PROJECTS_READ)
        # ("先别导出哈 王姐那个我再想想": an export held is of a whole video, "X那个" is one: play28zh F29)
        found = elsewhere(prompt, current, others) or self.described(prompt, current, others, whole=True)
        if found is None or found.wrong or len(found.named) != 1:
            return None
        return found.named[0]

    def holding(self, prompt: str) -> tuple[Project, str] | None:
        """The one project holding a file the words name ("redo it with the city lights photo":
        city-lights.jpg), and that file's name; None when none or several do."""
        words = _QUOTED.sub(" ", prompt)  # a caption ("see you there") names no file
        projects, _total = self.s.store.recent_projects(OTHER_PROJECTS_READ)
        found: dict[str, tuple[Project, str]] = {}
        for project in projects:
            media, _count = self.s.store.media_page(project.id, 50)
            for item in media:
                # said as a name of its own, never a common word ("photo.jpg", "end.png")
                if _stem_said(item.name.rsplit(".", 1)[0].casefold(), words):
                    found.setdefault(project.id, (project, item.name))
        return next(iter(found.values())) if len(found) == 1 else None

    def has_media(self, project: Project) -> bool:
        return self.s.store.media_page(project.id, 1)[1] > 0

    def used(self, project: Project | None) -> bool:
        """Whether a project has work in it beyond uploads (then "a new video" means a new project)."""
        if project is None:
            return False
        store = self.s.store
        return bool(store.project_renders(project.id, 1)) or store.has_turns(project.id)
