"""Copy the browser assets the app serves from node_modules into static/vendor."""

from geo.assets import install_vendor_files

if __name__ == "__main__":
    files = install_vendor_files()
    print(f"static/vendor: {len(files)} files, {sum(f.stat().st_size for f in files):,} bytes")
