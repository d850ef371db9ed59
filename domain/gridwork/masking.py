"""Personal data by role: which roles may see a resident's full name, ID number and phone.

Masking happens on the hub before a frame is built, so a field a role may not see never
reaches its client. Grid workers visit people and need to reach them; admins maintain the
register; everybody else (operators, supervisors, the wall, departments, trainers) sees
shortened names (张*明) and neither ID numbers nor phones.
"""

from __future__ import annotations

import msgspec

from domain.model import Role

#: Field → roles that see it in full.
FIELD_RIGHTS: dict[str, frozenset[Role]] = {
    "name": frozenset({Role.GRID_WORKER, Role.ADMIN}),
    "id_number": frozenset({Role.ADMIN}),
    "phone": frozenset({Role.GRID_WORKER, Role.ADMIN}),
}


def may_see(role: Role, field: str) -> bool:
    return role in FIELD_RIGHTS.get(field, frozenset())


def mask_name(name: str) -> str:
    """张三明 → 张*明, 张三 → 张*, 欧阳小明 → 欧**明; one character stays as it is."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_person(person, role: Role):
    """A register struct with ``name``/``id_number``/``phone`` cut to what ``role`` may see."""
    changes: dict[str, object] = {}
    if not may_see(role, "name"):
        changes["name"] = mask_name(person.name)
    if not may_see(role, "id_number") and getattr(person, "id_number", None) is not None:
        changes["id_number"] = None
    if not may_see(role, "phone") and getattr(person, "phone", None) is not None:
        changes["phone"] = None
    return msgspec.structs.replace(person, **changes) if changes else person
