// Large results: say that the download is being prepared (the server writes the file
// before the browser's download starts, which can take several seconds).
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("preparing");
  document.querySelectorAll("a[data-preparing]").forEach(function (a) {
    a.addEventListener("click", function () {
      if (status) { status.textContent = a.getAttribute("data-preparing"); }
      a.classList.add("busy");
    });
  });
});
