"""The worlds org-handshake-server starts from when it is given none (its built-in defaults,
the organizations and accounts of the providers' documented examples), in the conformance
vectors' world format. ``mock_organizations`` starts from the AWS one, so that a session in the
mock and one on the server begin alike (a test of the package checks that they are the same).
"""

import copy

_DEFAULT_WORLDS = {
    "aws": {
        "organizations": [
            {
                "id": "o-exampleorgid",
                "feature_set": "ALL",
                "management_account": {
                    "id": "111111111111",
                    "name": "Org Master Account",
                    "email": "bill@amazon.com",
                },
                "members": ["333333333333"],
            }
        ],
        "accounts": [
            {"id": "333333333333", "name": "anika", "email": "anika@example.com"},
            {"id": "222222222222", "name": "juan", "email": "juan@example.com"},
            {"id": "444444444444", "name": "mateo", "email": "mateo@example.com"},
            {"id": "555555555555", "name": "li", "email": "li@example.com"},
            {"id": "666666666666", "name": "sofia", "email": "sofia@example.com"},
        ],
    },
    "huawei": {
        "organizations": [
            {
                "id": "o-fhkmi6mek7wlqdp6nideqhb47qwtjdsv",
                "feature_set": "ALL",
                "management_account": {"id": "0a6d25d23900d45c0faac010e0fb4de0", "name": "paas_iam_573331"},
                "members": [],
            }
        ],
        "accounts": [
            {"id": "05c734152f00d4200f2bc0179ac6c5e0", "name": "paas_iam_05c734"},
            {"id": "1b2c3d4e5f60718293a4b5c6d7e8f901", "name": "paas_iam_1b2c3d"},
            {"id": "2c3d4e5f60718293a4b5c6d7e8f90a1b", "name": "paas_iam_2c3d4e"},
            {"id": "3d4e5f60718293a4b5c6d7e8f90a1b2c", "name": "paas_iam_3d4e5f"},
        ],
    },
    "alibaba": {
        "organizations": [
            {
                "id": "rd-3G6rzX",
                "feature_set": "ALL",
                "management_account": {"id": "1512666876910000", "name": "CompanyA"},
                "members": [],
            }
        ],
        "accounts": [
            {"id": "1772422852740000", "name": "CompanyB"},
            {"id": "1772422852740001", "name": "CompanyC"},
            {"id": "1772422852740002", "name": "CompanyD"},
            {"id": "1772422852740003", "name": "CompanyE"},
        ],
    },
}


def default_world(provider: str) -> dict:
    """The server's built-in world of ``provider`` (``"aws"``, ``"huawei"``, ``"alibaba"``),
    a fresh copy the caller may change."""
    return copy.deepcopy(_DEFAULT_WORLDS[provider])
