"""Projects: named groups of the user's conversations, each with instructions for its conversations' prompts.

    U#{user}            PROJ#{project}  name, instructions, timestamps
    U#{user}#C#{conv}   META            projectId: the project the conversation is in (absent: none)

A conversation joins a project only in a transaction that checks the project is there (when it starts
inside one, or is moved in), so with keys built from the caller's user id no request can reach another
user's project. A conversation whose project was deleted while it was being started keeps a projectId
that names nothing: it is read as outside any project (`known`), in the list and in the prompt.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from memchat.errors import BadRequest, NotFound
from memchat.frames import ConversationView, ProjectView
from memchat.memory.codec import conversation_pk, dump, load, to_datetime, user_pk
from memchat.memory.reads import conversation_view
from memchat.memory.table import Table, error_code
from memchat.tables import BY_USER_INDEX

PROJECT_PREFIX = "PROJ#"


def project_sk(project_id: str) -> str:
    return f"{PROJECT_PREFIX}{project_id}"


@dataclass(frozen=True)
class Project:
    project_id: str
    name: str
    instructions: str
    created_ms: int
    updated_ms: int

    def view(self) -> ProjectView:
        return ProjectView(project_id=self.project_id, name=self.name, instructions=self.instructions,
                           created_at=to_datetime(self.created_ms), updated_at=to_datetime(self.updated_ms))

    @classmethod
    def from_plain(cls, plain: dict[str, Any]) -> Project:
        return cls(project_id=plain["sk"].removeprefix(PROJECT_PREFIX), name=plain["name"],
                   instructions=plain.get("instructions", ""), created_ms=int(plain["createdMs"]),
                   updated_ms=int(plain["updatedMs"]))


def known(views: list[ConversationView], projects: list[Project]) -> list[ConversationView]:
    """The conversations as the user sees them: one whose project is gone is outside any project."""
    ids = {project.project_id for project in projects}
    return [view if view.project_id is None or view.project_id in ids
            else view.model_copy(update={"project_id": None}) for view in views]


class ProjectItems(Table):
    def projects(self, user_id: str, *, consistent: bool = False) -> list[Project]:
        """Every project of the user, most recently changed first (a user has at most `max_projects`)."""
        items = self._query_all(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=dump({":pk": user_pk(user_id), ":prefix": PROJECT_PREFIX}),
            ConsistentRead=consistent,
        )
        return sorted((Project.from_plain(load(item)) for item in items), key=lambda p: p.updated_ms, reverse=True)

    def project(self, user_id: str, project_id: str) -> Project | None:
        item = self._call("get_item", Key=dump({"pk": user_pk(user_id), "sk": project_sk(project_id)})).get("Item")
        return None if item is None else Project.from_plain(load(item))

    def create_project(self, user_id: str, *, name: str, instructions: str, now_ms: int, limit: int) -> Project:
        """A new project; BadRequest when the user already has `limit` (counted first: two created at the
        same moment may pass it by one, which no later create does)."""
        if len(self.projects(user_id, consistent=True)) >= limit:
            raise BadRequest(f"You can have {limit} projects: delete one to make another.")
        project = Project(project_id=secrets.token_hex(8), name=name, instructions=instructions,
                          created_ms=now_ms, updated_ms=now_ms)
        self._call("put_item", Item=dump({
            "pk": user_pk(user_id), "sk": project_sk(project.project_id), "name": name,
            "instructions": instructions, "createdMs": now_ms, "updatedMs": now_ms,
        }), ConditionExpression="attribute_not_exists(pk)")
        return project

    def update_project(self, user_id: str, project_id: str, *, now_ms: int, name: str | None = None,
                       instructions: str | None = None) -> Project:
        """Rename the project or replace its instructions; NotFound when it is not the user's."""
        values: dict[str, Any] = {":now": now_ms, ":name": name, ":instructions": instructions}
        sets = ["updatedMs = :now"] + (["#name = :name"] if name is not None else []) + (
            ["instructions = :instructions"] if instructions is not None else [])
        names = {"ExpressionAttributeNames": {"#name": "name"}} if name is not None else {}
        try:
            result = self._call(
                "update_item",
                Key=dump({"pk": user_pk(user_id), "sk": project_sk(project_id)}),
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues=dump(values),  # dump leaves out the None ones
                ReturnValues="ALL_NEW",
                **names,
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise NotFound("No such project.") from exc
            raise
        return Project.from_plain(load(result["Attributes"]))

    def delete_project(self, user_id: str, project_id: str) -> None:
        """Remove the project itself (nothing can join it from now on); NotFound when it is not the user's."""
        if not self._call_if("delete_item", Key=dump({"pk": user_pk(user_id), "sk": project_sk(project_id)}),
                             ConditionExpression="attribute_exists(pk)"):
            raise NotFound("No such project.")

    def project_conversations(self, user_id: str, project_id: str) -> Iterator[str]:
        """The ids of the user's conversations in a project, from the list's index (read page by page)."""
        items = self._query_all(
            IndexName=BY_USER_INDEX.name,
            KeyConditionExpression="userId = :u",
            FilterExpression="projectId = :p",
            ExpressionAttributeValues=dump({":u": user_id, ":p": project_id}),
            ProjectionExpression="conversationId",
        )
        for item in items:
            yield load(item)["conversationId"]

    def move_conversation(self, user_id: str, conversation_id: str, project_id: str | None) -> ConversationView:
        """Move a conversation into a project (checked to be there in the same transaction) or out of its
        own; NotFound for a conversation or project that is not the user's. A temporary chat stays out."""
        key = dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"})
        item = self._call("get_item", Key=key, ConsistentRead=True).get("Item")
        if item is None:
            raise NotFound("No such conversation.")
        plain = load(item)
        if project_id is not None and plain.get("temporary"):
            raise BadRequest("A temporary chat cannot be moved into a project.")
        if project_id is None:
            update: dict[str, Any] = {"UpdateExpression": "REMOVE projectId"}
        else:
            update = {"UpdateExpression": "SET projectId = :p", "ExpressionAttributeValues": dump({":p": project_id})}
        items: list[dict[str, Any]] = [{"Update": {
            "TableName": self._table, "Key": key, "ConditionExpression": "attribute_exists(pk)", **update}}]
        if project_id is not None:
            items.insert(0, {"ConditionCheck": {
                "TableName": self._table, "Key": dump({"pk": user_pk(user_id), "sk": project_sk(project_id)}),
                "ConditionExpression": "attribute_exists(pk)"}})
        reasons = self._transact(items)
        if reasons is not None:
            failed = [reason == "ConditionalCheckFailed" for reason in reasons]
            raise NotFound("No such project." if project_id is not None and failed[0] else "No such conversation.")
        return conversation_view({**plain, "projectId": project_id})

    def release_conversation(self, user_id: str, conversation_id: str, project_id: str) -> bool:
        """Move a conversation out of a (deleted) project, unless it has left it already."""
        return self._call_if(
            "update_item",
            Key=dump({"pk": conversation_pk(user_id, conversation_id), "sk": "META"}),
            UpdateExpression="REMOVE projectId",
            ConditionExpression="projectId = :p",
            ExpressionAttributeValues=dump({":p": project_id}),
        )
