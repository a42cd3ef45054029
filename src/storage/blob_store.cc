// Content-addressed file storage for uploaded documents: the bytes live in files named by
// their SHA-256 under the configured data directory; the database keeps only metadata.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "storage/storage.h"

namespace openmso::storage {
namespace {

bool IsHex64(std::string_view h) {
  return h.size() == 64 && std::all_of(h.begin(), h.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string BlobStore::PathOf(std::string_view sha256) const {
  return dir_ + "/sha256/" + std::string(sha256.substr(0, 2)) + "/" + std::string(sha256);
}

Result<std::string> BlobStore::Put(std::string_view bytes) const {
  if (dir_.empty()) return Error::Make(ErrorCode::kUnavailable, "storage-not-configured", "Document storage is not configured.");
  std::string hash = identity::Sha256Hex(bytes);
  std::string path = PathOf(hash);
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return hash;  // same content, same name: already stored
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Error::Make(ErrorCode::kUnavailable, "storage-unavailable", "Document storage is unavailable.", ec.message());
  std::string tmp = path + ".tmp" + std::to_string(std::random_device{}());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Error::Make(ErrorCode::kUnavailable, "storage-unavailable", "Document storage is unavailable.", "open failed");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return Error::Make(ErrorCode::kUnavailable, "storage-unavailable", "Document storage is unavailable.", "write failed");
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Error::Make(ErrorCode::kUnavailable, "storage-unavailable", "Document storage is unavailable.", "fsync/rename failed");
  }
  return hash;
}

Result<std::string> BlobStore::Get(std::string_view sha256) const {
  if (!IsHex64(sha256)) return Error::NotFound("The document content");
  std::ifstream in(PathOf(sha256), std::ios::binary);
  if (!in) return Error::NotFound("The document content");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string bytes = ss.str();
  // Integrity (compliance.md §2, "Mechanism to authenticate"): the name is the hash.
  if (identity::Sha256Hex(bytes) != sha256) return Error::Internal("stored document does not match its hash");
  return bytes;
}

}  // namespace openmso::storage
