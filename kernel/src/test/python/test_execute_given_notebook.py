"""Executes the notebook KILN_NOTEBOOK_IN with the 'kiln' kernel (nbclient) and writes it to KILN_NOTEBOOK_OUT.

The JUnit test that runs this file checks the executed notebook and whatever the run left behind.
"""
import os

import nbformat
from nbclient import NotebookClient


def test_execute_the_given_notebook():
    nb = nbformat.read(os.environ["KILN_NOTEBOOK_IN"], as_version=4)
    NotebookClient(nb, kernel_name="kiln", timeout=300,
                   resources={"metadata": {"path": os.environ.get("KILN_NOTEBOOK_CWD", os.getcwd())}}).execute()
    nbformat.write(nb, os.environ["KILN_NOTEBOOK_OUT"])
