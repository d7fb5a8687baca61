"""The body of a posted HTML form, as handlers declare it: `data: Form`, or `data: FormWithLists`
when a field may repeat (checkboxes)."""

from typing import Annotated

from litestar.enums import RequestEncodingType
from litestar.params import Body

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
#: repeated fields (checkboxes of the same name) arrive as a list, single ones as a string
FormWithLists = Annotated[
    dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)
]
