// Stands in for the clinic portal's own code: it gets a token from its backend and hands it to the widget.
const provider = document.getElementById('care');
const response = await fetch('/demo/token?sub=client-1&role=client');
provider.token = (await response.json()).token;
