"""The template catalog: built-in templates, then the user's folders, per platform and stage.

Layout: `<folder>/<platform>/<stage>/<variant>.j2`, plus shared macros in `<folder>/_macros.j2`.
A later folder adds variants and overrides same-named ones. Platform specs come from
`platforms/` (see drafter.core.platforms); a template folder may still carry a `platform.yaml`
per platform, merged over the built-in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from drafter.core.errors import DrafterError
from drafter.core.platforms import Platform, StageSpec, load_platforms
from drafter.core.resources import builtin_dir


@dataclass(frozen=True)
class TemplateInfo:
    platform: str
    stage: str
    variants: dict[str, Path]
    spec: StageSpec

    @property
    def name(self) -> str:
        return f"{self.platform}/{self.stage}"


@dataclass
class Catalog:
    """Every platform and template visible from the configured folders."""

    folders: list[Path]
    platforms: dict[str, Platform] = field(default_factory=dict)
    templates: dict[tuple[str, str], TemplateInfo] = field(default_factory=dict)

    def get(self, platform: str, stage: str) -> TemplateInfo:
        if platform not in self.platforms:
            raise DrafterError(
                f"unknown platform '{platform}'; known: {', '.join(sorted(self.platforms))}"
            )
        info = self.templates.get((platform, stage))
        reason = self.platforms[platform].not_applicable.get(stage)
        if info is None and reason:
            raise DrafterError(f"{platform}/{stage} is not drafted: {reason}")
        if info is None:
            stages = sorted(s for p, s in self.templates if p == platform)
            raise DrafterError(
                f"no template for {platform}/{stage}; {platform} has: {', '.join(stages)}"
            )
        return info


def load_catalog(user_folders: Sequence[Path] = ()) -> Catalog:
    folders = [builtin_dir("templates"), *user_folders]
    for folder in user_folders:
        if not folder.is_dir():
            raise DrafterError(f"{folder}: template folder not found")
    variants: dict[tuple[str, str], dict[str, Path]] = {}
    for folder in folders:
        for pdir in sorted(
            p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("_")
        ):
            for sdir in sorted(s for s in pdir.iterdir() if s.is_dir()):
                for tfile in sorted(sdir.glob("*.j2")):
                    if not tfile.is_file():
                        raise DrafterError(
                            f"{tfile}: a template must be a file (a folder or a broken link?)"
                        )
                    variants.setdefault((pdir.name, sdir.name), {})[tfile.stem] = tfile
    catalog = Catalog(folders=folders, platforms=load_platforms(user_folders))
    for (pname, stage), found in sorted(variants.items()):
        platform = catalog.platforms.get(pname)
        if platform is None:
            where = next(iter(found.values())).parent.parent
            raise DrafterError(
                f"{where}: templates for unknown platform '{pname}' (add {where}/platform.yaml)"
            )
        catalog.templates[(pname, stage)] = TemplateInfo(
            platform=pname,
            stage=stage,
            variants=dict(sorted(found.items())),
            spec=platform.stages.get(stage, StageSpec()),
        )
    return catalog
